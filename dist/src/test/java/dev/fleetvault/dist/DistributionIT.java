package dev.fleetvault.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's path: unpack {@code fleetvault-VERSION.tar.gz} into a temporary directory and run
 * it with only a JVM — {@code bin/fleetvault --help}, then a three-member local fleet from the
 * unpacked {@code config/local.yaml} (ports moved to a free block of the dist test range
 * 29000-29799, data in the temporary directory) until every edge answers {@code /readyz} 200, then
 * stop it. No Maven and no source tree: the working directory is the temporary directory and PATH
 * holds only the JVM and the system.
 */
@Tag("process")
class DistributionIT {
  /** Deadlines are generous: the machine may be loaded; nothing here asserts on timing. */
  private static final Duration HELP_DEADLINE = Duration.ofSeconds(60);

  private static final Duration READY_DEADLINE = Duration.ofSeconds(150);
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
  private static final String VENDOR_PROVIDER = "com.example.hsm.ExampleDriverProvider";

  @TempDir Path tmp;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void tarball_unpacked_runsHelpAndAThreeMemberFleet() throws Exception {
    String tarball = System.getProperty("fleetvault.dist.tarball");
    String name = System.getProperty("fleetvault.dist.name");
    assertThat(tarball)
        .as("system property fleetvault.dist.tarball (set by the dist POM)")
        .isNotNull();
    assertThat(Path.of(tarball)).exists();

    // Unpack with the system tar, as an operator would.
    Path install = tmp.resolve("install");
    Files.createDirectories(install);
    Result untar =
        run(List.of("tar", "-xzf", tarball, "-C", install.toString()), tmp, HELP_DEADLINE);
    assertThat(untar.exit).as("tar: %s", untar.output).isZero();
    Path home = install.resolve(name);
    Path bin = home.resolve("bin/fleetvault");
    assertThat(bin).isRegularFile();
    assertThat(Files.getPosixFilePermissions(bin)).contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(home.resolve("drivers")).isEmptyDirectory();
    assertThat(home.resolve("config/softhsm-3dc/dc1.yaml")).isRegularFile();
    assertThat(home.resolve("config/local.yaml")).isRegularFile();
    assertThat(home.resolve("systemd/fleetvault-node@.service")).isRegularFile();
    assertThat(home.resolve("systemd/fleetvault-signer.service")).isRegularFile();
    for (String f : List.of("LICENSE", "NOTICE", "SECURITY.md")) {
      assertThat(home.resolve(f)).isRegularFile();
    }
    try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
      assertThat(lib.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("fleetvault-cli-"))
          .anyMatch(n -> n.startsWith("fleetvault-driver-soft-"))
          .anyMatch(n -> n.startsWith("fleetvault-loadgen-"))
          // The CLI's load generator ships without the JMH benchmarks (bench/ is not in lib/).
          .noneMatch(n -> n.startsWith("jmh-") || n.startsWith("fleetvault-bench-"));
    }

    Result help = run(List.of(bin.toString(), "--help"), tmp, HELP_DEADLINE);
    assertThat(help.exit).as("bin/fleetvault --help: %s", help.output).isZero();
    assertThat(help.output).contains("up").contains("node").contains("register");

    // The shipped local.yaml with free ports, beside it so its relative key files resolve.
    int base = freeBlock();
    String yaml = Files.readString(home.resolve("config/local.yaml"), StandardCharsets.UTF_8);
    for (int i = 1; i <= 3; i++) {
      for (int kind = 0; kind < 5; kind++) { // client, peer, raft, cluster, admin
        yaml = yaml.replace("127.0.0.1:74" + kind + i, "127.0.0.1:" + (base + kind * 10 + i));
      }
    }
    assertThat(yaml).doesNotContain("127.0.0.1:74");
    // A vendor's driver jar dropped into drivers/: scanned by every node, refused (not
    // allow-listed, and its
    // class is absent), and the fleet still starts on the soft driver.
    try (JarOutputStream j =
        new JarOutputStream(Files.newOutputStream(home.resolve("drivers/vendor-example.jar")))) {
      j.putNextEntry(new JarEntry("META-INF/services/dev.fleetvault.driver.spi.HsmDriverProvider"));
      j.write((VENDOR_PROVIDER + "\n").getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    Path data = tmp.resolve("data");
    // bundle_file is relative to the config file, not to data_root: keep it with the data too.
    yaml = yaml.replace("bundle_file: ../data/", "bundle_file: " + data + "/");
    Path config = home.resolve("config/dist-test.yaml");
    Files.writeString(config, yaml, StandardCharsets.UTF_8);
    Path log = tmp.resolve("up.log");

    ProcessBuilder pb =
        new ProcessBuilder(
                bin.toString(), "up", "--config", config.toString(), "--data-root", data.toString())
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    isolate(pb.environment());
    Process up = pb.start();
    try {
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
      List<Integer> waiting = new ArrayList<>(List.of(base + 1, base + 2, base + 3));
      // Up when every edge answers /readyz 200 and `up` has printed its banner (after the local
      // signer published).
      boolean banner = false;
      while (!waiting.isEmpty() || !banner) {
        assertThat(up.isAlive())
            .as("fleetvault up exited early (%s): %s", exitOf(up), tail(log))
            .isTrue();
        assertThat(System.nanoTime() - deadline)
            .as(
                "not up within %s (edges not ready: %s, banner printed: %s): %s",
                READY_DEADLINE, waiting, banner, tail(log))
            .isNegative();
        waiting.removeIf(port -> ready(http, port));
        banner =
            Files.readString(log, StandardCharsets.UTF_8).contains("fleetvault: local fleet up");
        if (!waiting.isEmpty() || !banner) {
          Thread.sleep(500);
        }
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      for (int i = 1; i <= 3; i++) {
        assertThat(out).contains("edge dc" + i + "  127.0.0.1:" + (base + i));
      }
      assertThat(out)
          .contains("HSM driver directory")
          .contains("vendor-example.jar")
          .contains(VENDOR_PROVIDER);
    } finally {
      stop(up);
    }
    assertThat(data.resolve("fleet")).isDirectory();
  }

  /**
   * Only the JVM running this test and the system directories on PATH; no Maven home, no project
   * variables.
   */
  private static void isolate(Map<String, String> env) {
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    env.keySet()
        .removeIf(k -> k.startsWith("MAVEN") || k.startsWith("M2") || k.startsWith("FLEETVAULT"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("PATH", javaBin + ":/usr/bin:/bin");
    env.put("FLEETVAULT_JAVA_OPTS", "-Xmx512m");
  }

  private static boolean ready(HttpClient http, int port) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM (the shutdown hook closes the fleet), then SIGKILL after a bounded wait. */
  private static void stop(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    if (!p.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private static String exitOf(Process p) {
    return p.isAlive() ? "running" : "exit " + p.exitValue();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, Path dir, Duration deadline) throws Exception {
    Path out = Files.createTempFile(dir, "run", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    isolate(pb.environment());
    Process p = pb.start();
    if (!p.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      return new Result(-1, "timed out after " + deadline + ": " + Files.readString(out));
    }
    return new Result(p.exitValue(), Files.readString(out));
  }

  /**
   * A block in the dist test range 29000-29799 where base+1..+33 (edges, peers, raft, cluster) and
   * the JGroups FD_SOCK2 ports (+100) are free on loopback.
   */
  private static int freeBlock() {
    for (int tries = 0; tries < 200; tries++) {
      int base = 29000 + ThreadLocalRandom.current().nextInt(700 / 50) * 50;
      if (allFree(base + 1, 43) && allFree(base + 101, 33)) {
        return base;
      }
    }
    throw new IllegalStateException("no free block of ports in 29000-29799");
  }

  private static boolean allFree(int from, int count) {
    for (int p = from; p < from + count; p++) {
      try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
