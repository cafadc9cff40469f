package dev.fleetvault.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.hsm.HsmExecutor;
import dev.fleetvault.gateway.support.TestFleet;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The metrics table in {@code config/README.md} is checked both ways against a node's registry as
 * the node wires it ({@link NodeMetrics}, {@link NodeMetrics#bindQuorum}, the {@link HsmExecutor}
 * gauges, and one use of every lazily registered meter): every {@code fleetvault_*} name the node
 * exports is documented, and every documented node name is exported. A meter named in the main
 * sources but not exercised here fails the test too, so a new meter cannot slip past it.
 */
class MetricsDocumentedTest {

  /** Prometheus names ({@code fleetvault_*}) documented in config/README.md, section "Metrics". */
  static Set<String> documented() throws IOException {
    String md =
        Files.readString(TestFleet.repo().resolve("config/README.md"), StandardCharsets.UTF_8);
    int start = md.indexOf("\n## Metrics\n");
    assertThat(start).as("config/README.md has a Metrics section").isPositive();
    int end = md.indexOf("\n## ", start + 1);
    Set<String> names = new TreeSet<>();
    Matcher m =
        Pattern.compile("(?m)^\\| `(fleetvault_[a-z0-9_]+)` \\|")
            .matcher(md.substring(start, end < 0 ? md.length() : end));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /**
   * The {@code fleetvault_*} families of a Prometheus scrape; a timer's {@code _max} gauge belongs
   * to its histogram.
   */
  static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^# TYPE (fleetvault_[a-z0-9_]+) ([a-z]+)$").matcher(scrape);
    while (m.find()) {
      names.add(m.group(1));
    }
    names.removeIf(n -> n.endsWith("_max") && names.contains(n.substring(0, n.length() - 4)));
    return names;
  }

  /** Meter names ({@code fleetvault.x.y}) written in the main sources that use Micrometer. */
  static Set<String> namedInSources(Path mainJava) throws IOException {
    Set<String> names = new TreeSet<>();
    Pattern literal = Pattern.compile("\"(fleetvault\\.[a-z][a-z.]*[a-z])\"");
    try (Stream<Path> files = Files.walk(mainJava)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        String src = Files.readString(f, StandardCharsets.UTF_8);
        if (!src.contains("io.micrometer")) {
          continue;
        }
        Matcher m = literal.matcher(src);
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  @Test
  void metricsTable_nodeRegistry_sameNamesBothWays() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      NodeMetrics metrics = new NodeMetrics("dc1");
      metrics.bindQuorum(() -> null);
      HsmExecutor hsm =
          new HsmExecutor(vertx, "test-hsm-metrics", null, 1, 0, 5_000, metrics.registry());
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      var held =
          hsm.call(
              "op",
              d -> {
                try {
                  release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return "ok";
              });
      assertThat(hsm.call("op", d -> "never").failed()).as("refused busy").isTrue();
      release.countDown();
      held.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      // One use of every meter registered on first use.
      long t = System.nanoTime();
      metrics.request("grpc", "Recover", "ok", t);
      metrics.commit("guess", "ok", t);
      metrics.guessRefused("no_majority");
      metrics.evaluated();
      metrics.released();
      hsm.close();

      Set<String> registered = new TreeSet<>();
      metrics.registry().getMeters().forEach(x -> registered.add(x.getId().getName()));
      assertThat(registered)
          .as("every meter named in gateway's main sources is exercised by this test")
          .containsAll(namedInSources(TestFleet.repo().resolve("gateway/src/main/java")));

      Set<String> exported = exported(metrics.scrape());
      Set<String> documented = documented();
      documented.removeIf(n -> n.startsWith("fleetvault_signer_"));
      assertThat(exported).as("node metrics missing from config/README.md").isSubsetOf(documented);
      assertThat(documented)
          .as("metrics in config/README.md that a node does not export")
          .isSubsetOf(exported);
      assertThat(exported).contains("fleetvault_build_info", "fleetvault_requests_seconds");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
