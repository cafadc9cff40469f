package dev.fleetvault.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.tlog.Checkpoint;
import dev.fleetvault.bundles.tlog.SignedNote;
import dev.fleetvault.driver.spi.KeySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signer's rules and durability, in process, with its Ed25519 key in the soft HSM driver. */
class SignerServiceTest {
  @TempDir Path dir;
  SignerTestEnv env;
  HsmKey signerKey;
  SignerService service;

  @BeforeEach
  void setUp() throws Exception {
    env = new SignerTestEnv(dir, 0, List.of());
    signerKey =
        HsmKey.open(
            SignerTestEnv.hsm("signer.softkeys", "signer.pass"),
            "test signer hsm",
            dir,
            "signer.ed25519",
            KeySpec.ED25519,
            true);
    service = open();
  }

  SignerService open() throws Exception {
    return new SignerService(
        dir.resolve("data"),
        SignerTestEnv.ORIGIN,
        signerKey.ed25519PublicKey(),
        SignerService.hsmSigner(signerKey),
        List.of(FleetArtifact.NAMESPACE),
        (ECPublicKey) env.operator.publicKey(),
        List.of(),
        Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    service.close();
    signerKey.close();
    env.close();
  }

  static byte[] digest(int i) {
    return Crypto.sha256(new byte[] {(byte) i});
  }

  SignerException.Reason refusal(ThrowingRunnable r) {
    try {
      r.run();
    } catch (SignerException e) {
      return e.reason();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("not refused");
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void publish_increasingEpochs_loggedWithSignedCheckpoints() throws Exception {
    SignerService.Entry e1 = service.publish(FleetArtifact.NAMESPACE, 1, digest(1));
    SignerService.Entry e2 = service.publish(FleetArtifact.NAMESPACE, 5, digest(2));
    assertThat(e1.index()).isZero();
    assertThat(e2.index()).isEqualTo(1);
    assertThat(
            Crypto.ed25519Verify(
                signerKey.ed25519PublicKey(), e2.message().encode(), e2.signature()))
        .isTrue();
    Checkpoint c = Checkpoint.fromNoteText(SignedNote.parse(e2.checkpoint()).text());
    assertThat(c.treeSize()).isEqualTo(2);
    assertThat(service.epochs(FleetArtifact.NAMESPACE)).containsExactly(1L, 5L);
  }

  @Test
  void publish_sameEpochAgain_refusedAndNothingLogged() throws Exception {
    service.publish(FleetArtifact.NAMESPACE, 2, digest(1));
    assertThat(refusal(() -> service.publish(FleetArtifact.NAMESPACE, 2, digest(2))))
        .isEqualTo(SignerException.Reason.EPOCH_NOT_INCREASING);
    assertThat(service.size()).isEqualTo(1);
  }

  @Test
  void publish_lowerEpoch_refused() throws Exception {
    service.publish(FleetArtifact.NAMESPACE, 3, digest(1));
    assertThat(refusal(() -> service.publish(FleetArtifact.NAMESPACE, 2, digest(2))))
        .isEqualTo(SignerException.Reason.EPOCH_NOT_INCREASING);
    assertThat(service.size()).isEqualTo(1);
  }

  @Test
  void publish_reusedDigestUnderNewEpoch_refused() throws Exception {
    service.publish(FleetArtifact.NAMESPACE, 1, digest(1));
    assertThat(refusal(() -> service.publish(FleetArtifact.NAMESPACE, 2, digest(1))))
        .isEqualTo(SignerException.Reason.DIGEST_REUSED);
    assertThat(service.size()).isEqualTo(1);
  }

  @Test
  void publish_unknownNamespace_refused() {
    assertThat(refusal(() -> service.publish("unknown.ns.v1", 1, digest(1))))
        .isEqualTo(SignerException.Reason.UNKNOWN_NAMESPACE);
    assertThat(service.size()).isZero();
  }

  @Test
  void authenticate_wrongOrMissingSignature_refused() throws Exception {
    byte[] body = "{\"digest\":\"00\",\"epoch\":1,\"namespace\":\"x\"}".getBytes();
    service.authenticate(body, env.operatorSigner().apply(SignerService.publishAuthMessage(body)));
    assertThat(refusal(() -> service.authenticate(body, null)))
        .isEqualTo(SignerException.Reason.UNAUTHENTICATED);
    assertThat(refusal(() -> service.authenticate(body, env.operatorSigner().apply(body))))
        .isEqualTo(SignerException.Reason.UNAUTHENTICATED);
    byte[] other = "{\"digest\":\"00\",\"epoch\":2,\"namespace\":\"x\"}".getBytes();
    assertThat(
            refusal(
                () ->
                    service.authenticate(
                        other, env.operatorSigner().apply(SignerService.publishAuthMessage(body)))))
        .isEqualTo(SignerException.Reason.UNAUTHENTICATED);
  }

  @Test
  void restart_keepsEveryEntryAndStillRefusesOldEpochsAndDigests() throws Exception {
    for (int i = 1; i <= 5; i++) {
      service.publish(FleetArtifact.NAMESPACE, i, digest(i));
    }
    String cp = service.latestCheckpoint();
    service.close();
    service = open();
    assertThat(service.size()).isEqualTo(5);
    assertThat(service.latestCheckpoint()).isEqualTo(cp);
    assertThat(refusal(() -> service.publish(FleetArtifact.NAMESPACE, 5, digest(9))))
        .isEqualTo(SignerException.Reason.EPOCH_NOT_INCREASING);
    assertThat(refusal(() -> service.publish(FleetArtifact.NAMESPACE, 6, digest(3))))
        .isEqualTo(SignerException.Reason.DIGEST_REUSED);
    assertThat(service.publish(FleetArtifact.NAMESPACE, 6, digest(6)).index()).isEqualTo(5);
  }

  @Test
  void open_tornFinalRecord_truncatedAndAcknowledgedEntriesKept() throws Exception {
    service.publish(FleetArtifact.NAMESPACE, 1, digest(1));
    service.publish(FleetArtifact.NAMESPACE, 2, digest(2));
    service.close();
    Path f = dir.resolve("data/audit-log.bin");
    long before = Files.size(f);
    Files.write(
        f,
        new byte[] {0, 0, 1, 0, 1, 2, 3, 4, '{', '"'},
        StandardOpenOption.APPEND); // a half-written record
    service = open();
    assertThat(service.size()).isEqualTo(2);
    assertThat(Files.size(f)).isEqualTo(before);
    assertThat(service.publish(FleetArtifact.NAMESPACE, 3, digest(3)).index()).isEqualTo(2);
  }

  @Test
  void open_damagedRecordInTheMiddle_refusesToStart() throws Exception {
    service.publish(FleetArtifact.NAMESPACE, 1, digest(1));
    service.publish(FleetArtifact.NAMESPACE, 2, digest(2));
    service.close();
    Path f = dir.resolve("data/audit-log.bin");
    byte[] b = Files.readAllBytes(f);
    b[20] ^= 1; // inside the first record's payload
    Files.write(f, b);
    assertThatThrownBy(this::open).isInstanceOf(IOException.class).hasMessageContaining("checksum");
    service = open2();
  }

  private SignerService open2() throws Exception {
    // leave a closable service for tearDown on a fresh directory
    return new SignerService(
        dir.resolve("data2"),
        SignerTestEnv.ORIGIN,
        signerKey.ed25519PublicKey(),
        SignerService.hsmSigner(signerKey),
        List.of(FleetArtifact.NAMESPACE),
        (ECPublicKey) env.operator.publicKey(),
        List.of(),
        Clock.systemUTC());
  }

  @Test
  void publish_hsmFailsMidAppend_nothingLoggedAndServiceKeepsWorking() throws Exception {
    service.close();
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.Function<byte[], byte[]> real = SignerService.hsmSigner(signerKey);
    service =
        new SignerService(
            dir.resolve("data"),
            SignerTestEnv.ORIGIN,
            signerKey.ed25519PublicKey(),
            m -> {
              if (calls.incrementAndGet() == 4) { // the checkpoint signature of the second publish
                throw new IllegalStateException("injected HSM failure");
              }
              return real.apply(m);
            },
            List.of(FleetArtifact.NAMESPACE),
            (ECPublicKey) env.operator.publicKey(),
            List.of(),
            Clock.systemUTC());
    service.publish(FleetArtifact.NAMESPACE, 1, digest(1));
    String cp = service.latestCheckpoint();
    assertThat(refusal(() -> service.publish(FleetArtifact.NAMESPACE, 2, digest(2))))
        .isEqualTo(SignerException.Reason.UNAVAILABLE);
    assertThat(service.size()).isEqualTo(1);
    assertThat(service.latestCheckpoint()).isEqualTo(cp);
    assertThat(service.publish(FleetArtifact.NAMESPACE, 2, digest(2)).index()).isEqualTo(1);
    service.close();
    service = open();
    assertThat(service.size()).isEqualTo(2);
  }

  @Test
  void attach_wrongArtifactOrCounterSignature_refused() throws Exception {
    FleetArtifact a = SignerTestEnv.artifact(1);
    SignerService.Entry e = service.publish(FleetArtifact.NAMESPACE, 1, a.digest());
    byte[] counter = env.operatorSigner().apply(e.signature());
    assertThat(
            refusal(
                () ->
                    service.attach(
                        FleetArtifact.NAMESPACE,
                        1,
                        SignerTestEnv.artifact(1).toCanonicalJson(),
                        counter)))
        .isEqualTo(SignerException.Reason.BAD_REQUEST);
    assertThat(
            refusal(
                () ->
                    service.attach(
                        FleetArtifact.NAMESPACE,
                        1,
                        a.toCanonicalJson(),
                        env.operatorSigner().apply(e.message().encode()))))
        .isEqualTo(SignerException.Reason.UNAUTHENTICATED);
    service.attach(FleetArtifact.NAMESPACE, 1, a.toCanonicalJson(), counter);
    assertThat(service.bundle(FleetArtifact.NAMESPACE, null).logIndex()).isZero();
  }
}
