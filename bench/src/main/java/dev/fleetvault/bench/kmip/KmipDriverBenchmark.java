package dev.fleetvault.bench.kmip;

import dev.fleetvault.driver.kmip.KmipDriverProvider;
import dev.fleetvault.driver.kmip.client.CryptographicParameters;
import dev.fleetvault.driver.kmip.client.KmipClient;
import dev.fleetvault.driver.kmip.client.KmipClientConfig;
import dev.fleetvault.driver.kmip.client.KmipTls;
import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@code kmip} driver on a local PyKMIP 0.10 server: seal and unseal of a 64-byte record
 * (AES-256-GCM inside the server) and an RSA-2048 PSS signature. PyKMIP signs PSS only with the
 * maximum salt, so the driver reports no SIGN_RSA_PSS there; {@link #signRsaPssClient} measures
 * KMIP Sign through the client directly instead (the cost a conforming server would show).
 *
 * <p>Run: {@code java -cp 'bench/target-k/classes:bench/target-k/lib/*' org.openjdk.jmh.Main
 * 'dev.fleetvault.bench.kmip.*' -f 1 -wi 1 -w 3s -i 3 -r 5s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KmipDriverBenchmark {
  private PyKmipBenchServer server;
  private HsmDriver driver;
  private KmipClient client;
  private KeyHandle seal;
  private KeyHandle rsa;
  private byte[] record;
  private byte[] aad;
  private byte[] sealed;
  private String rsaPrivateId;

  @Setup(Level.Trial)
  public void start() throws Exception {
    Path dir = Files.createTempDirectory("fleetvault-kmip-bench-");
    server = PyKmipBenchServer.start(dir);
    driver =
        new KmipDriverProvider().open(DriverSettings.of("bench", server.driverSettings(8), dir));
    seal =
        driver.generateKey(
            KeySpec.AES_256, "bench-seal-" + UUID.randomUUID().toString().substring(0, 8));
    rsa =
        driver.generateKey(
            KeySpec.RSA_2048, "bench-rsa-" + UUID.randomUUID().toString().substring(0, 8));
    rsaPrivateId = rsa.keyId().substring("kmip:".length()).split("\\|")[0];
    record = new byte[64];
    aad = "user-1|v1|dc1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    sealed = driver.seal(seal, record, aad);
    client =
        KmipClient.connect(
            KmipClientConfig.builder(
                    "127.0.0.1",
                    server.port(),
                    KmipTls.fromPem(
                        dir.resolve("client.crt"),
                        dir.resolve("client.key"),
                        dir.resolve("ca.crt")))
                .maxConnections(8)
                .build());
    System.out.println(
        "[kmip bench] capabilities: "
            + driver.capabilities()
            + (driver.capabilities().contains(Capability.SIGN_RSA_PSS)
                ? ""
                : " (no SIGN_RSA_PSS: PyKMIP uses max PSS salt)"));
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (driver != null) {
      driver.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Seal a 64-byte record: one KMIP Encrypt round trip. */
  @Benchmark
  public byte[] seal64() throws Exception {
    return driver.seal(seal, record, aad);
  }

  /** Unseal a 64-byte record: one KMIP Decrypt round trip. */
  @Benchmark
  public byte[] unseal64() throws Exception {
    return driver.unseal(seal, sealed, aad);
  }

  /** RSA-2048 PSS SHA-256 signature by the server (KMIP Sign through the client). */
  @Benchmark
  public byte[] signRsaPssClient() throws Exception {
    return client.sign(rsaPrivateId, CryptographicParameters.rsaPssSha256(-1), record);
  }
}
