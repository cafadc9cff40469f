package dev.fleetvault.protocol.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/PROTOCOL.md true: recomputes its worked example with the code and compares every
 * {@code name = hex} line between the example markers, both ways.
 */
class ProtocolDocExampleTest {
  private static final Pattern LINE = Pattern.compile("^([A-Za-z][A-Za-z0-9_]*) = ([0-9a-f]*)$");

  static Path protocolMd() {
    String root = System.getProperty("fleetvault.root");
    Path p =
        root != null ? Path.of(root, "docs", "PROTOCOL.md") : Path.of("..", "docs", "PROTOCOL.md");
    if (!Files.exists(p)) {
      p = Path.of("docs", "PROTOCOL.md");
    }
    return p;
  }

  static Map<String, String> documented(String md) {
    int begin = md.indexOf("<!-- worked-example:begin -->");
    int end = md.indexOf("<!-- worked-example:end -->");
    assertThat(begin).as("worked example markers in PROTOCOL.md").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : md.substring(begin, end).split("\n")) {
      Matcher m = LINE.matcher(line.strip());
      if (m.matches()) {
        assertThat(out.put(m.group(1), m.group(2))).as("duplicate %s", m.group(1)).isNull();
      }
    }
    return out;
  }

  @Test
  void workedExample_matchesTheCode() throws Exception {
    Map<String, String> doc = documented(Files.readString(protocolMd(), StandardCharsets.UTF_8));
    Map<String, String> code = ProtocolDocExample.compute();
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, String> e : code.entrySet()) {
      String d = doc.get(e.getKey());
      if (d == null) {
        failures.add(e.getKey() + ": missing from PROTOCOL.md (code: " + e.getValue() + ")");
      } else if (!d.equals(e.getValue())) {
        failures.add(e.getKey() + ": PROTOCOL.md says " + d + ", code computes " + e.getValue());
      }
    }
    for (String k : doc.keySet()) {
      if (!code.containsKey(k)) {
        failures.add(k + ": in PROTOCOL.md but not computed by the example");
      }
    }
    System.out.println("PROTOCOL.md worked example: " + code.size() + " values checked");
    assertThat(failures).as("PROTOCOL.md worked example vs code").isEmpty();
    assertThat(code.size()).isGreaterThan(60);
  }

  @Test
  void protoAppendix_matchesTheProtoFiles() throws Exception {
    String md = Files.readString(protocolMd(), StandardCharsets.UTF_8);
    Path protoDir =
        protocolMd().getParent().resolve("../protocol/src/main/proto/fleetvault/v1").normalize();
    List<String> failures = new ArrayList<>();
    int checked = 0;
    try (var files = Files.list(protoDir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String name = f.getFileName().toString();
        String begin = "<!-- proto:" + name + ":begin -->\n```proto\n";
        int b = md.indexOf(begin);
        int e = md.indexOf("\n```\n<!-- proto:" + name + ":end -->");
        if (b < 0 || e < b) {
          failures.add(name + ": not in PROTOCOL.md Appendix A");
          continue;
        }
        String documented = md.substring(b + begin.length(), e);
        if (!documented.equals(Files.readString(f, StandardCharsets.UTF_8).stripTrailing())) {
          failures.add(name + ": PROTOCOL.md Appendix A differs from the file");
        }
        checked++;
      }
    }
    System.out.println("PROTOCOL.md appendix: " + checked + " proto files checked");
    assertThat(failures).isEmpty();
    assertThat(checked).isEqualTo(6); // common, member, payloads, record, vault, ws
  }
}
