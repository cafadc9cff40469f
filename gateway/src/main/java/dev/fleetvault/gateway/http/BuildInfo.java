package dev.fleetvault.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and commit this build was made from, read from {@code fleetvault-build.properties}
 * (filled in by Maven: {@code project.version} and {@code -Dfleetvault.commit=<hash>}, else {@code
 * unknown}). Never fails: a missing or unfilled file gives {@code unknown}.
 *
 * @param version the project version
 * @param commit the source commit, or {@code unknown}
 */
public record BuildInfo(String version, String commit) {

  /** This build's facts. */
  public static BuildInfo current() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/fleetvault-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // unknown
    }
    return new BuildInfo(clean(p.getProperty("version")), clean(p.getProperty("commit")));
  }

  private static String clean(String v) {
    return v == null || v.isBlank() || v.startsWith("${") || !v.matches("[A-Za-z0-9._+-]{1,64}")
        ? "unknown"
        : v;
  }
}
