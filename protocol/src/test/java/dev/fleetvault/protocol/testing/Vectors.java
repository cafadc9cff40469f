package dev.fleetvault.protocol.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the published test vectors in {@code ${fleetvault.root}/../shared/vectors/}.
 *
 * <h2>Guarantees</h2>
 *
 * A missing file SKIPS the calling test with a loud message on stderr, but FAILS it when {@code
 * CI=true} or {@code FLEETVAULT_REQUIRE_VECTORS=1}. Vectors are read in place, never copied.
 */
public final class Vectors {
  private Vectors() {}

  /** The path of {@code relative} under the shared vectors folder; skips or fails if missing. */
  public static Path require(String relative) {
    String root = System.getProperty("fleetvault.root");
    Path base =
        root != null
            ? Paths.get(root).resolve("../shared/vectors")
            : Paths.get("../../shared/vectors");
    Path p = base.resolve(relative).normalize();
    if (!Files.isRegularFile(p)) {
      String msg =
          "TEST VECTORS MISSING: "
              + p
              + " (expected under ${fleetvault.root}/../shared/vectors; "
              + "see shared/vectors/README.md)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))
          || "1".equals(System.getenv("FLEETVAULT_REQUIRE_VECTORS"))) {
        fail(msg + " -- failing because CI=true or FLEETVAULT_REQUIRE_VECTORS=1");
      }
      System.err.println("!!!!! SKIPPED: " + msg);
      Assumptions.abort(msg);
    }
    return p;
  }

  /** Parses a JSON vector file. */
  public static JsonNode json(String relative) throws IOException {
    return new ObjectMapper().readTree(require(relative).toFile());
  }

  /** Reads a text vector file. */
  public static String text(String relative) throws IOException {
    return Files.readString(require(relative), StandardCharsets.UTF_8);
  }
}
