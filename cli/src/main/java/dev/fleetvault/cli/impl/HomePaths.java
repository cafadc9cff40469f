package dev.fleetvault.cli.impl;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves the CLI's default files (such as {@code config/local.yaml}) when the command runs
 * outside the project root: a relative path that does not exist in the working directory is looked
 * up under the directory the launcher passes as system property {@code fleetvault.home}.
 */
public final class HomePaths {
  private HomePaths() {}

  /**
   * {@code path} itself when it exists or is absolute, else its counterpart under {@code
   * fleetvault.home}.
   */
  public static Path resolve(Path path) {
    if (path.isAbsolute() || Files.exists(path)) {
      return path;
    }
    String home = System.getProperty("fleetvault.home");
    if (home != null) {
      Path p = Path.of(home).resolve(path);
      if (Files.exists(p)) {
        return p;
      }
    }
    return path;
  }
}
