package dev.fleetvault.gateway.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One 3-node fleet shared by the test classes that only need a healthy fleet (each test uses its
 * own users), started on first use under the build directory and stopped when the test JVM exits.
 * Classes that stop nodes start their own.
 */
public final class SharedFleet {
  private static TestFleet fleet;

  private SharedFleet() {}

  /** The shared fleet, started on first call. */
  public static synchronized TestFleet get() throws Exception {
    if (fleet == null) {
      Path base = Path.of(System.getProperty("fleetvault.buildDir", "target"));
      Files.createDirectories(base);
      Path dir = Files.createTempDirectory(base.toAbsolutePath(), "shared-fleet-");
      fleet = TestFleet.start(dir);
      TestFleet f = fleet;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      f.close();
                    } catch (Exception ignored) {
                      // the JVM is exiting
                    }
                  },
                  "shared-fleet-stop"));
    }
    return fleet;
  }
}
