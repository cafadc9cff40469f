package dev.fleetvault.bench.drivers;

import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.Drivers;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.P256Points;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Throughput of the driver operations the vault uses per request — seal, unseal (64-byte record,
 * 32-byte aad), ECDSA P-256 sign (64-byte command) and ECDH — on the soft driver and on the PKCS#11
 * driver over SoftHSM2, through the SPI exactly as the gateway calls them. Run with {@code -t 1}
 * and {@code -t 2}. The PKCS#11 case needs {@code SOFTHSM2_CONF} set in the environment of the JMH
 * launcher (forks inherit it) to a writable path; setup writes that file and a fresh token
 * directory beside it.
 *
 * <pre>
 * SOFTHSM2_CONF=/tmp/fv-bench/softhsm2.conf java -cp 'bench/target/classes:bench/target/lib/*' \
 *   org.openjdk.jmh.Main 'dev.fleetvault.bench.drivers' -f 1 -wi 2 -i 3 -w 1s -r 2s -t 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = "--add-exports=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED")
public class DriverBenchmark {

  private static final Path SOFTHSM_LIB = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  private static final String TOKEN = "fv-bench";
  private static final String PIN = "bench-pin";

  /** Which driver. */
  @Param({"soft", "pkcs11"})
  public String driverId;

  private HsmDriver driver;
  private KeyHandle aes;
  private KeyHandle ec;
  private byte[] record;
  private byte[] aad;
  private byte[] sealed;
  private byte[] command;
  private byte[] peerPoint;
  private Path workDir;

  /** Opens the driver, generates the keys, prepares inputs. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    workDir = Files.createTempDirectory("fv-driver-bench");
    Map<String, Object> settings = new LinkedHashMap<>();
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    if (driverId.equals("soft")) {
      settings.put("key_file", workDir.resolve("bench.keys").toString());
      settings.put("passphrase_env", "FV_BENCH_PASS");
      settings.put("kdf_memory_kib", 8192);
      settings.put("kdf_iterations", 1);
      env.put("FV_BENCH_PASS", "bench only");
    } else {
      Path pinFile = prepareSoftHsm();
      settings.put("library", SOFTHSM_LIB.toString());
      settings.put("token_label", TOKEN);
      settings.put("pin_file", pinFile.toString());
    }
    settings.put("borrow_timeout", "30s");
    Drivers drivers =
        Drivers.load(
            List.of(
                "dev.fleetvault.driver.soft.SoftDriverProvider",
                "dev.fleetvault.driver.pkcs11.Pkcs11DriverProvider"),
            "benchmark allow-list");
    driver = drivers.open(driverId, DriverSettings.of("benchmark", settings, workDir, env));
    aes = driver.generateKey(KeySpec.AES_256, "bench-seal");
    ec = driver.generateKey(KeySpec.EC_P256, "bench-id");
    record = new byte[64];
    aad = "user-0001|v1|member-1".getBytes(StandardCharsets.UTF_8);
    sealed = driver.seal(aes, record, aad);
    command = new byte[64];
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    peerPoint = P256Points.encodeUncompressed((ECPublicKey) g.generateKeyPair().getPublic());
  }

  private Path prepareSoftHsm() throws IOException, InterruptedException {
    String conf = System.getenv("SOFTHSM2_CONF");
    if (conf == null || !Files.isRegularFile(SOFTHSM_LIB)) {
      throw new IllegalStateException(
          "the pkcs11 benchmark needs SoftHSM2 and SOFTHSM2_CONF set in the launcher's"
              + " environment (a writable path; setup writes it), e.g. SOFTHSM2_CONF=/tmp/fv-bench/softhsm2.conf");
    }
    Path confPath = Path.of(conf);
    Path tokens = confPath.toAbsolutePath().getParent().resolve("tokens");
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
    Process p =
        new ProcessBuilder(
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                TOKEN,
                "--so-pin",
                "so-" + PIN,
                "--pin",
                PIN)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("softhsm2-util failed: " + out);
    }
    Path pinFile = workDir.resolve("pin");
    Files.writeString(pinFile, PIN);
    return pinFile;
  }

  /** Closes the driver and removes the soft key file. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    driver.close();
    try (Stream<Path> s = Files.walk(workDir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** AES-256-GCM seal of a 64-byte record. */
  @Benchmark
  public byte[] seal() throws HsmException {
    return driver.seal(aes, record, aad);
  }

  /** AES-256-GCM unseal of a 64-byte record. */
  @Benchmark
  public byte[] unseal() throws HsmException {
    return driver.unseal(aes, sealed, aad);
  }

  /** ECDSA P-256 (SHA-256, DER) over a 64-byte command. */
  @Benchmark
  public byte[] sign() throws HsmException {
    return driver.sign(ec, command);
  }

  /** ECDH P-256 with a fixed valid peer point (validated each call). */
  @Benchmark
  public byte[] ecdh() throws HsmException {
    return driver.ecdh(ec, peerPoint);
  }
}
