package dev.fleetvault.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fresh working directories under the module's build directory (never the source tree). */
final class TestDirs {
  private TestDirs() {}

  static Path buildDir() {
    return Path.of(System.getProperty("fleetvault.buildDir", "target")).toAbsolutePath();
  }

  /** A new, empty directory {@code <buildDir>/test-work/<name>-<nanos>}. */
  static Path fresh(String name) throws IOException {
    Path p = buildDir().resolve("test-work").resolve(name + "-" + System.nanoTime());
    Files.createDirectories(p);
    return p;
  }
}
