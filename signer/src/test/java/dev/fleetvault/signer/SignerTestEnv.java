package dev.fleetvault.signer;

import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.tlog.NoteKey;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmSection;
import dev.fleetvault.driver.spi.KeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A signer data directory, config and operator key (all through the soft HSM driver) for tests. */
final class SignerTestEnv implements AutoCloseable {
  static final String ORIGIN = "test.fleetvault.dev/signer";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final Path dir;
  final Path config;
  final HsmKey operator;

  SignerTestEnv(Path dir, int port, List<String> witnessVkeys) throws IOException, HsmException {
    this.dir = dir;
    Files.writeString(dir.resolve("signer.pass"), "signer test passphrase\n");
    Files.writeString(dir.resolve("operator.pass"), "operator test passphrase\n");
    operator =
        HsmKey.open(
            hsm("operator.softkeys", "operator.pass"),
            "test operator hsm",
            dir,
            "operator.p256",
            KeySpec.EC_P256,
            true);
    SignerConfig.writePem(dir.resolve("operator.pub"), operator.publicKey());
    StringBuilder y = new StringBuilder();
    y.append("listen:\n  host: 127.0.0.1\n  port: ").append(port).append('\n');
    y.append("data_dir: signer-data\n");
    y.append("origin: ").append(ORIGIN).append('\n');
    y.append("namespaces: [fleetvault.fleet_keys.v1, other.ns.v1]\n");
    y.append("key_label: signer.ed25519\n");
    y.append(
        "hsm:\n  driver: soft\n  allowed_providers: [dev.fleetvault.driver.soft.SoftDriverProvider]\n");
    y.append("  settings:\n    key_file: signer.softkeys\n    passphrase_file: signer.pass\n");
    y.append("    kdf_memory_kib: 8192\n    kdf_iterations: 1\n");
    y.append("operator:\n  public_key_file: operator.pub\n");
    y.append("witnesses:\n");
    if (witnessVkeys.isEmpty()) {
      y.setLength(y.length() - 1);
      y.append(" []\n");
    }
    for (String w : witnessVkeys) {
      y.append("  - \"").append(w).append("\"\n");
    }
    config = dir.resolve("signer.yaml");
    Files.writeString(config, y.toString(), StandardCharsets.UTF_8);
  }

  static HsmSection hsm(String keyFile, String passFile) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("key_file", keyFile);
    settings.put("passphrase_file", passFile);
    settings.put("kdf_memory_kib", 8192);
    settings.put("kdf_iterations", 1);
    return new HsmSection(
        "soft",
        List.of("dev.fleetvault.driver.soft.SoftDriverProvider"),
        settings,
        HsmSection.DEFAULT_WORKERS,
        HsmSection.DEFAULT_QUEUE,
        HsmSection.DEFAULT_TIMEOUT_MS);
  }

  Function<byte[], byte[]> operatorSigner() {
    return SignerService.hsmSigner(operator);
  }

  TrustAnchors trust(NoteKey signerKey) throws HsmException {
    return TrustAnchors.of(signerKey, (ECPublicKey) operator.publicKey());
  }

  static byte[] point() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return Crypto.uncompressed((ECPublicKey) g.generateKeyPair().getPublic());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static FleetArtifact artifact(long epoch) {
    List<FleetMember> ms = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      ms.add(new FleetMember("m" + i, "dc" + i, point(), point(), FleetMember.ROLE_MEMBER));
    }
    return new FleetArtifact(
        FleetArtifact.NAMESPACE,
        "local",
        epoch,
        2,
        ms,
        T0,
        T0.plusSeconds(3650L * 86400),
        new byte[0]);
  }

  @Override
  public void close() {
    operator.close();
  }
}
