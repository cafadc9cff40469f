package dev.fleetvault.signer;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmSection;
import dev.fleetvault.driver.spi.KeySpec;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEVELOPMENT ONLY: a signer and an operator key for the local fleet ({@code ./fleetvault up}),
 * both on the soft HSM driver under one data directory, with the trust file written for the CLI. In
 * production the signer is another party's process and the operator key lives in a real HSM.
 *
 * <p>Layout under {@code dir}: {@code signer.yaml}, {@code signer-data/} (audit log, signer key
 * file), {@code operator.softkeys}, {@code operator.pub}, {@code trust.json} (marked development),
 * {@code transparency/} (the static transparency site, served at {@code /transparency/}).
 */
public final class LocalSigner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalSigner.class);

  /**
   * The transparency site's directory under the signer's directory, served at {@code
   * /transparency/}.
   */
  public static final String TRANSPARENCY_DIR = "transparency";

  private final SignerServer server;
  private final HsmKey operator;
  private final TrustAnchors trust;
  private final Path trustFile;
  private final URI url;

  private LocalSigner(
      SignerServer server, HsmKey operator, TrustAnchors trust, Path trustFile, URI url) {
    this.server = server;
    this.operator = operator;
    this.trust = trust;
    this.trustFile = trustFile;
    this.url = url;
  }

  /**
   * Starts (or restarts, keeping its log and keys) the local signer. Blocking.
   *
   * @param vertx the Vert.x instance to serve on
   * @param dir data directory (created)
   * @param passphraseFile file holding the soft-driver passphrase for both key files
   * @param port listen port on 127.0.0.1 (0 = any)
   */
  public static LocalSigner start(Vertx vertx, Path dir, Path passphraseFile, int port)
      throws Exception {
    Files.createDirectories(dir);
    Path pass = passphraseFile.toAbsolutePath();
    HsmKey op =
        HsmKey.open(
            hsm(dir.resolve("operator.softkeys"), pass),
            dir + ": operator hsm",
            dir,
            "operator.p256",
            KeySpec.EC_P256,
            true);
    try {
      SignerConfig.writePem(dir.resolve("operator.pub"), op.publicKey());
      Path yaml = dir.resolve("signer.yaml");
      String y =
          "# DEVELOPMENT ONLY: the local fleet's independent signer (soft HSM driver)\n"
              + "listen: {host: 127.0.0.1, port: "
              + port
              + "}\n"
              + "data_dir: signer-data\n"
              + "origin: fleetvault.local/signer\n"
              + "namespaces: ["
              + FleetArtifact.NAMESPACE
              + "]\n"
              + "key_label: fleetvault-signer.ed25519\n"
              + "hsm:\n  driver: soft\n  allowed_providers: [dev.fleetvault.driver.soft.SoftDriverProvider]\n"
              + "  settings:\n    key_file: signer-data/signer.softkeys\n    passphrase_file: \""
              + pass
              + "\"\n"
              + "operator:\n  public_key_file: operator.pub\n"
              + "witnesses: []\n"
              + "transparency_dir: "
              + TRANSPARENCY_DIR
              + "\n";
      Files.writeString(yaml, y, StandardCharsets.UTF_8);
      SignerServer s = SignerServer.startBlocking(vertx, SignerConfig.load(yaml));
      TrustAnchors t =
          TrustAnchors.of(s.service().noteKey(), (ECPublicKey) op.publicKey()).asDevelopment();
      Path tf = dir.resolve("trust.json");
      Files.write(tf, t.toJson());
      URI u = URI.create("http://127.0.0.1:" + s.port());
      LOG.info(
          "local signer {} at {} (DEVELOPMENT ONLY); trust file {}", t.signerKey().vkey(), u, tf);
      return new LocalSigner(s, op, t, tf, u);
    } catch (Exception e) {
      op.close();
      throw e;
    }
  }

  private static HsmSection hsm(Path keyFile, Path pass) {
    return new HsmSection(
        "soft",
        List.of("dev.fleetvault.driver.soft.SoftDriverProvider"),
        Map.of("key_file", keyFile.toString(), "passphrase_file", pass.toString()),
        HsmSection.DEFAULT_WORKERS,
        HsmSection.DEFAULT_QUEUE,
        HsmSection.DEFAULT_TIMEOUT_MS);
  }

  /** The signer's base URL. */
  public URI url() {
    return url;
  }

  /** The pinned keys. */
  public TrustAnchors trust() {
    return trust;
  }

  /** Where the trust file was written. */
  public Path trustFile() {
    return trustFile;
  }

  /** The server (for its service). */
  public SignerServer server() {
    return server;
  }

  /** Signs with the operator key (DER ECDSA P-256). */
  public byte[] operatorSign(byte[] message) throws HsmException {
    return operator.sign(message);
  }

  /**
   * Publishes an artifact (signer signs and logs, operator counter-signs) and returns its bundle.
   */
  public Bundle publish(FleetArtifact artifact) throws IOException {
    return new BundlePublisher(
            new SignerClient(url), SignerService.hsmSigner(operator), trust, Clock.systemUTC())
        .publish(artifact);
  }

  /**
   * Publishes the fleet unless the latest published artifact already has exactly these members and
   * threshold (and is still valid), in which case that bundle is returned; a new epoch is the last
   * epoch + 1.
   *
   * @param validFor how long a newly published artifact is valid
   */
  public Bundle publishIfChanged(
      String fleetId, int threshold, List<FleetMember> members, java.time.Duration validFor)
      throws IOException {
    List<FleetMember> sorted = new ArrayList<>(members);
    sorted.sort(Comparator.comparing(FleetMember::id));
    SignerService svc = server.service();
    long last = 0;
    try {
      List<Long> eps = svc.epochs(FleetArtifact.NAMESPACE);
      if (!eps.isEmpty()) {
        last = eps.get(eps.size() - 1);
        Bundle b = svc.bundle(FleetArtifact.NAMESPACE, last);
        FleetArtifact a = FleetArtifact.parse(b.artifact());
        if (a.fleetId().equals(fleetId)
            && a.threshold() == threshold
            && same(a.members(), sorted)
            && a.isValidAt(Instant.now().plusSeconds(3600))) {
          return b;
        }
      }
    } catch (SignerException e) {
      LOG.info(
          "latest local epoch {} has no bundle yet ({}); publishing a new epoch",
          last,
          e.getMessage());
    }
    Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    FleetArtifact next =
        new FleetArtifact(
            FleetArtifact.NAMESPACE,
            fleetId,
            last + 1,
            threshold,
            sorted,
            now.minusSeconds(300),
            now.plus(validFor),
            new byte[0]);
    return publish(next);
  }

  private static boolean same(List<FleetMember> a, List<FleetMember> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).sameKeys(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws Exception {
    try {
      server.close().toCompletionStage().toCompletableFuture().get();
    } finally {
      operator.close();
    }
  }
}
