package dev.fleetvault.protocol.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.function.BiConsumer;

/** Iterates Wycheproof {@code testvectors_v1} files: (group, test) pairs. */
public final class Wycheproof {
  private Wycheproof() {}

  /** Calls {@code each} for every test of every group in {@code wycheproof/<name>_test.json}. */
  public static int forEach(String name, BiConsumer<JsonNode, JsonNode> each) throws IOException {
    JsonNode f = Vectors.json("wycheproof/" + name + "_test.json");
    int n = 0;
    for (JsonNode g : f.get("testGroups")) {
      for (JsonNode t : g.get("tests")) {
        each.accept(g, t);
        n++;
      }
    }
    if (n != f.get("numberOfTests").asInt()) {
      throw new IllegalStateException(
          name + ": iterated " + n + " tests, file says " + f.get("numberOfTests"));
    }
    return n;
  }

  /** "testcase %d (%s)" with the comment and flags. */
  public static String label(JsonNode t) {
    return VectorReport.label(
        t.get("tcId").asLong(),
        t.get("comment").asText() + " " + t.get("flags") + " " + t.get("result").asText());
  }

  public static byte[] hex(JsonNode n, String field) {
    return Hex.decode(n.get(field).asText());
  }
}
