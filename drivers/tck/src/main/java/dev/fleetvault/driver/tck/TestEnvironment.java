package dev.fleetvault.driver.tck;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Skip-or-fail rules shared by driver tests: a missing external part (SoftHSM2, PyKMIP, vectors)
 * skips the test with a loud reason on a developer machine and fails it when {@code CI=true} or the
 * part's {@code FLEETVAULT_REQUIRE_*} variable is {@code 1}.
 */
public final class TestEnvironment {

  /** Env var that makes a missing HSM (SoftHSM2, PyKMIP) a failure. */
  public static final String REQUIRE_HSM = "FLEETVAULT_REQUIRE_HSM";

  /** Env var that makes missing vectors a failure. */
  public static final String REQUIRE_VECTORS = "FLEETVAULT_REQUIRE_VECTORS";

  /** System property naming the directory that holds {@code wycheproof/*.json} (optional). */
  public static final String VECTORS_PROPERTY = "fleetvault.vectors";

  private TestEnvironment() {}

  /** Whether a missing part named by {@code requireVar} must fail rather than skip. */
  public static boolean required(String requireVar) {
    return required(requireVar, System.getenv());
  }

  static boolean required(String requireVar, Map<String, String> env) {
    return "true".equalsIgnoreCase(env.get("CI")) || "1".equals(env.get(requireVar));
  }

  /** Skips loudly (or fails under CI / {@code requireVar=1}) unless {@code available}. */
  public static void requireOrSkip(boolean available, String what, String requireVar) {
    requireOrSkip(available, what, requireVar, System.getenv());
  }

  static void requireOrSkip(
      boolean available, String what, String requireVar, Map<String, String> env) {
    if (available) {
      return;
    }
    String msg = "MISSING " + what;
    if (required(requireVar, env)) {
      fail(msg + " (required because CI=true or " + requireVar + "=1)");
    }
    System.err.println(
        "[SKIPPED LOUDLY] " + msg + " (set " + requireVar + "=1 to make this a failure)");
    Assumptions.assumeTrue(false, msg);
  }

  /** The project root ({@code fleetvault.root}, else the working directory). */
  public static Path projectRoot() {
    String root = System.getProperty("fleetvault.root");
    return root != null ? Path.of(root) : Path.of("").toAbsolutePath();
  }

  /**
   * A directory for test working files under the module's build dir ({@code fleetvault.buildDir}).
   */
  public static Path buildDir() {
    String dir = System.getProperty("fleetvault.buildDir");
    return dir != null ? Path.of(dir) : Path.of("target").toAbsolutePath();
  }

  /**
   * The test vector directory: {@value #VECTORS_PROPERTY} when set, else {@code ../shared/vectors}
   * beside the project root (where the project's own build keeps them).
   */
  public static Path vectorsDir() {
    String dir = System.getProperty(VECTORS_PROPERTY);
    return dir != null ? Path.of(dir) : projectRoot().resolve("../shared/vectors").normalize();
  }

  /** A Wycheproof vector file from {@code <vectorsDir>/wycheproof/}, or skip/fail. */
  public static Path wycheproof(String fileName) {
    Path p = vectorsDir().resolve("wycheproof").resolve(fileName).normalize();
    requireOrSkip(
        Files.isRegularFile(p),
        "Wycheproof vector file "
            + p
            + " (set -D"
            + VECTORS_PROPERTY
            + "=DIR to a directory holding wycheproof/"
            + fileName
            + ")",
        REQUIRE_VECTORS);
    return p;
  }
}
