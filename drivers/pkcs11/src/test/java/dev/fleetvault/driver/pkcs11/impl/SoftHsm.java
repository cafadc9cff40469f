package dev.fleetvault.driver.pkcs11.impl;

import dev.fleetvault.driver.tck.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real SoftHSM2 for the PKCS#11 tests. SunPKCS11 reads {@code SOFTHSM2_CONF} from the process
 * environment, so Maven starts the test JVM with it pointing under the build dir ({@code
 * drivers/pkcs11/pom.xml}); {@link #ensure()} writes that file, a fresh token directory and every
 * token the tests use — all before the JVM's first PKCS#11 call, because SoftHSM2 reads its token
 * directory once, at C_Initialize. Tests find slots by token label (slot ids change on every init).
 */
final class SoftHsm {

  static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  static final String MAIN = "fv-main";
  static final String WRONG_PIN = "fv-wrongpin";
  static final String PROVENANCE = "fv-provenance";
  static final List<String> FRESH = List.of("fv-fresh-1", "fv-fresh-2", "fv-fresh-3", "fv-fresh-4");
  static final String PIN = "4711-user-pin";

  private static Path pinFile;
  private static Path wrongPinFile;

  private SoftHsm() {}

  /**
   * Skips loudly (fails under CI / FLEETVAULT_REQUIRE_HSM=1) without SoftHSM2; otherwise prepares
   * tokens once per JVM.
   */
  static synchronized void ensure() throws IOException, InterruptedException {
    boolean util =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "softhsm2-util")));
    TestEnvironment.requireOrSkip(
        Files.isRegularFile(LIBRARY) && util,
        "SoftHSM2 (" + LIBRARY + " and softhsm2-util; apt-get install -y softhsm2)",
        TestEnvironment.REQUIRE_HSM);
    String conf = System.getenv("SOFTHSM2_CONF");
    TestEnvironment.requireOrSkip(
        conf != null,
        "SOFTHSM2_CONF in the test JVM environment (run the tests through Maven; drivers/pkcs11/pom.xml sets it)",
        TestEnvironment.REQUIRE_HSM);
    if (pinFile != null) {
      return;
    }
    Path confPath = Path.of(conf);
    Path home = confPath.getParent();
    Path tokens = home.resolve("tokens");
    if (Files.exists(tokens)) {
      try (Stream<Path> s = Files.walk(tokens)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(tokens);
    Files.writeString(
        confPath,
        "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    for (String label : allLabels()) {
      run(
          confPath,
          "softhsm2-util",
          "--init-token",
          "--free",
          "--label",
          label,
          "--so-pin",
          "so-" + PIN,
          "--pin",
          PIN);
    }
    wrongPinFile = home.resolve("wrong.pin");
    Files.writeString(wrongPinFile, "not-the-pin\n", StandardCharsets.UTF_8);
    pinFile = home.resolve("user.pin");
    Files.writeString(pinFile, PIN + "\n", StandardCharsets.UTF_8);
  }

  private static List<String> allLabels() {
    List<String> l = new java.util.ArrayList<>(List.of(MAIN, WRONG_PIN, PROVENANCE));
    l.addAll(FRESH);
    return l;
  }

  private static void run(Path conf, String... cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  /** Driver settings for the token labelled {@code label} with the right PIN (from a file). */
  static Map<String, Object> settings(String label) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("library", LIBRARY.toString());
    m.put("token_label", label);
    m.put("pin_file", pinFile.toString());
    m.put("borrow_timeout", "30s");
    return m;
  }

  /** The same with a wrong PIN. */
  static Map<String, Object> wrongPinSettings() {
    Map<String, Object> m = settings(WRONG_PIN);
    m.put("pin_file", wrongPinFile.toString());
    return m;
  }
}
