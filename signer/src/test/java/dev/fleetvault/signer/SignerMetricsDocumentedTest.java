package dev.fleetvault.signer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.signer.admin.SignerMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The signer's half of the metrics table in {@code config/README.md}: every {@code fleetvault_*}
 * name the signer exports is documented, and every documented {@code fleetvault_signer_*} name is
 * exported. Every meter named in the signer's main sources must be exercised here.
 */
class SignerMetricsDocumentedTest {

  static Path repo() {
    String root = System.getProperty("fleetvault.root");
    return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
  }

  static Set<String> documented() throws IOException {
    String md = Files.readString(repo().resolve("config/README.md"), StandardCharsets.UTF_8);
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

  static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^# TYPE (fleetvault_[a-z0-9_]+) ([a-z]+)$").matcher(scrape);
    while (m.find()) {
      names.add(m.group(1));
    }
    names.removeIf(n -> n.endsWith("_max") && names.contains(n.substring(0, n.length() - 4)));
    return names;
  }

  static Set<String> namedInSources(Path mainJava) throws IOException {
    Set<String> names = new TreeSet<>();
    Pattern literal = Pattern.compile("\"(fleetvault\\.[a-z][a-z.]*[a-z])\"");
    try (Stream<Path> files = Files.walk(mainJava)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        String src = Files.readString(f, StandardCharsets.UTF_8);
        if (src.contains("io.micrometer")) {
          Matcher m = literal.matcher(src);
          while (m.find()) {
            names.add(m.group(1));
          }
        }
      }
    }
    return names;
  }

  @Test
  void metricsTable_signerRegistry_sameNamesBothWays() throws Exception {
    SignerMetrics metrics = new SignerMetrics();
    metrics.bindService(() -> true, () -> 3);
    metrics.timedSigner(m -> new byte[64]).apply(new byte[1]);
    metrics.request("GET /checkpoint", "ok", System.nanoTime());

    Set<String> registered = new TreeSet<>();
    metrics.registry().getMeters().forEach(x -> registered.add(x.getId().getName()));
    assertThat(registered)
        .as("every meter named in the signer's main sources is exercised by this test")
        .containsAll(namedInSources(repo().resolve("signer/src/main/java")));

    Set<String> exported = exported(metrics.scrape());
    Set<String> documented = documented();
    assertThat(exported).as("signer metrics missing from config/README.md").isSubsetOf(documented);
    documented.removeIf(n -> !n.startsWith("fleetvault_signer_"));
    assertThat(documented).as("documented signer metrics not exported").isSubsetOf(exported);
    assertThat(documented).isNotEmpty();
  }
}
