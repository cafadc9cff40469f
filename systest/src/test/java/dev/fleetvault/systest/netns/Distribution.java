package dev.fleetvault.systest.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The operator's distribution, unpacked with the system {@code tar} from {@code
 * fleetvault.dist.tarball} (set by the POM to the dist module's tarball). Everything the systests
 * start runs from here: no Maven, no source tree.
 *
 * @param home the unpacked {@code fleetvault-VERSION/} directory
 */
public record Distribution(Path home) {

  /** Unpacks the tarball into {@code dir} (created). */
  public static Distribution unpack(Path dir) throws IOException {
    String tarball = System.getProperty("fleetvault.dist.tarball");
    String name = System.getProperty("fleetvault.dist.name");
    if (tarball == null || name == null || !Files.isRegularFile(Path.of(tarball))) {
      throw new IllegalStateException(
          "no distribution tarball (system property fleetvault.dist.tarball = "
              + tarball
              + "): build it with the dist module (mvn -pl systest -am verify)");
    }
    Files.createDirectories(dir);
    Sh.run("tar", "-xzf", tarball, "-C", dir.toString()).orThrow();
    Path home = dir.resolve(name);
    if (!Files.isExecutable(home.resolve("bin/fleetvault"))) {
      throw new IllegalStateException(tarball + " has no executable bin/fleetvault");
    }
    return new Distribution(home);
  }

  /** {@code bin/fleetvault}. */
  public Path bin() {
    return home.resolve("bin/fleetvault");
  }

  /** A file of the shipped {@code config/} directory. */
  public Path config(String file) {
    return home.resolve("config").resolve(file);
  }

  /**
   * Strips the test JVM's environment down to what an operator's shell has: the running JVM as
   * JAVA_HOME, system directories on PATH, no Maven or FLEETVAULT_* variables; the node heap capped
   * so that several fit.
   */
  public static void isolate(Map<String, String> env, String heap) {
    String javaHome = System.getProperty("java.home");
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("MAVEN")
                    || k.startsWith("M2")
                    || k.startsWith("FLEETVAULT")
                    || k.startsWith("JAVA_TOOL")
                    || k.equals("CLASSPATH"));
    env.put("JAVA_HOME", javaHome);
    env.put("PATH", javaHome + "/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("FLEETVAULT_JAVA_OPTS", "-Xmx" + heap + " -XX:+UseSerialGC");
  }
}
