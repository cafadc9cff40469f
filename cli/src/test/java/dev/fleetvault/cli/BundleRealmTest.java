package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.VerifierState;
import dev.fleetvault.bundles.evidence.EvidencePolicy;
import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.BundleRealmSource;
import dev.fleetvault.client.ClientOptions;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.FleetvaultException;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RealmSource;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import dev.fleetvault.client.TransportKind;
import dev.fleetvault.gateway.FleetDirectory;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.protocol.flow.RealmConfig;
import dev.fleetvault.protocol.wire.StatusResponse;
import dev.fleetvault.signer.LocalSigner;
import dev.fleetvault.signer.SignerClient;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The SDK sealing to a realm it took from a validation bundle that the real signer issued for the
 * fleet's keys and the SDK verified against pinned keys; a forged or mis-signed bundle makes it
 * seal nothing.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundleRealmTest {
  private TestFleet fleet;
  private Vertx vertx;
  private LocalSigner signer;
  private byte[] envelope;
  private Path work;

  @BeforeAll
  void start() throws Exception {
    work = TestDirs.fresh("bundle-realm");
    int base = Ports.freeBlock(Ports.FLEET_BLOCK);
    fleet = TestFleet.start(work.resolve("fleet"), base);
    vertx = Vertx.vertx();
    Path pass = work.resolve("signer-pass.txt");
    Files.writeString(pass, "signer test passphrase\n", StandardCharsets.US_ASCII);
    signer = LocalSigner.start(vertx, work.resolve("signer"), pass, base + 36);
    NodeConfig cfg = fleet.config();
    FleetDirectory dir = new FleetDirectory(cfg.fleetDir());
    List<FleetMember> members = new ArrayList<>();
    for (MemberSpec m : cfg.members()) {
      FleetDirectory.Entry e = dir.read(m.id()).orElseThrow();
      members.add(
          new FleetMember(
              m.id(),
              m.dataCenter(),
              e.hpkePublic(),
              uncompressed((ECPublicKey) e.signingPublic()),
              FleetMember.ROLE_MEMBER));
    }
    signer.publishIfChanged(cfg.fleetId(), cfg.threshold(), members, Duration.ofDays(1));
    envelope = new SignerClient(signer.url()).envelope(FleetArtifact.NAMESPACE, 0);
  }

  @AfterAll
  void stop() throws Exception {
    if (signer != null) {
      signer.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  private static byte[] uncompressed(ECPublicKey k) {
    byte[] out = new byte[65];
    out[0] = 4;
    copy32(k.getW().getAffineX(), out, 1);
    copy32(k.getW().getAffineY(), out, 33);
    return out;
  }

  private static void copy32(BigInteger v, byte[] out, int off) {
    byte[] b = v.toByteArray();
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, off + 32 - n, n);
  }

  /** A realm source that hands the SDK this envelope, as an edge's first answer would. */
  private static RealmSource fromEnvelope(BundleRealmSource source, byte[] env) {
    return new RealmSource() {
      @Override
      public boolean needsStatus() {
        return true;
      }

      @Override
      public RealmConfig realm(StatusResponse status) {
        return source.realm(
            status.toBuilder()
                .setValidationBundle(com.google.protobuf.ByteString.copyFrom(env))
                .build());
      }
    };
  }

  private FleetvaultClient client(RealmSource realm) throws Exception {
    return FleetvaultClient.create(
        ClientOptions.builder()
            .edges(fleet.edges())
            .appId(TestFleet.APP)
            .transport(TransportKind.GRPC)
            .tokens(fleet.tokens())
            .realm(realm)
            .build());
  }

  @Test
  void register_realmFromVerifiedBundle_recoversAndRecordsState() throws Exception {
    Path stateFile = work.resolve("client-state").resolve("bundle-state.json");
    BundleRealmSource source =
        BundleRealmSource.create(
            signer.trust(),
            stateFile,
            TestFleet.TEST_PIN_PARAMS,
            Clock.systemUTC(),
            EvidencePolicy.development(),
            null);
    byte[] secret = "sealed to a verified fleet".getBytes(StandardCharsets.UTF_8);

    try (FleetvaultClient c = client(fromEnvelope(source, envelope));
        Pin pin = Pin.of("2580".toCharArray());
        BackupSecret s = BackupSecret.copyOf(secret)) {
      assertThat(c.blocking().register("bundle-user", pin, s, 3))
          .isInstanceOf(RegisterResult.Registered.class);
      RecoverResult r = c.blocking().recover("bundle-user", pin);
      assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
      assertThat(((RecoverResult.Recovered) r).secret().copyBytes()).isEqualTo(secret);
    }
    VerifierState saved = VerifierState.parse(Files.readAllBytes(stateFile));
    assertThat(saved.treeSize()).isPositive();
    assertThat(saved.epoch()).isEqualTo(1);
    assertThat(source.knownEpoch()).isEqualTo(saved.epoch());
    assertThat(source.knownTreeSize()).isEqualTo(saved.treeSize());
  }

  @Test
  void register_tamperedBundle_verificationFailedAndNothingSealed() throws Exception {
    // The operator (or the edge) swaps member 1's HPKE key for a key it holds, keeping every
    // signature.
    BundleEnvelope env = BundleEnvelope.parse(envelope);
    Bundle b = env.bundle();
    FleetArtifact a = FleetArtifact.parse(b.artifact());
    List<FleetMember> swapped = new ArrayList<>(a.members());
    FleetMember m1 = swapped.get(0);
    swapped.set(
        0,
        new FleetMember(
            m1.id(),
            m1.dataCenter(),
            swapped.get(1).hpkePublicKey(),
            m1.signingPublicKey(),
            m1.role()));
    FleetArtifact forgedArtifact =
        new FleetArtifact(
            a.namespace(),
            a.fleetId(),
            a.epoch(),
            a.threshold(),
            swapped,
            a.notBefore(),
            a.notAfter(),
            a.evidenceDigest());
    Bundle forgedBundle =
        new Bundle(
            forgedArtifact.toCanonicalJson(),
            b.message(),
            b.signerSignature(),
            b.operatorSignature(),
            b.logIndex(),
            b.inclusionProof(),
            b.checkpoint());
    byte[] forged =
        new BundleEnvelope(forgedBundle, env.consistencyFrom(), env.consistencyProof()).toJson();
    BundleRealmSource source =
        BundleRealmSource.create(
            signer.trust(),
            null,
            TestFleet.TEST_PIN_PARAMS,
            Clock.systemUTC(),
            EvidencePolicy.development(),
            null);

    try (FleetvaultClient c = client(fromEnvelope(source, forged));
        Pin pin = Pin.of("2580".toCharArray());
        BackupSecret s = BackupSecret.copyOf(new byte[] {1, 2, 3})) {
      assertThatThrownBy(() -> c.blocking().register("forged-user", pin, s, 3))
          .isInstanceOf(FleetvaultException.class)
          .satisfies(
              e ->
                  assertThat(((FleetvaultException) e).code())
                      .isEqualTo(FleetvaultException.Code.VERIFICATION_FAILED))
          .hasMessageContaining("DIGEST_MISMATCH");
    }
    try (FleetvaultClient c = fleet.client(TransportKind.GRPC);
        Pin pin = Pin.of("2580".toCharArray())) {
      assertThat(c.blocking().recover("forged-user", pin))
          .isEqualTo(new RecoverResult.NotRegistered());
    }
  }

  @Test
  void realm_operatorKeyNotPinned_rejected() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    TrustAnchors wrong =
        TrustAnchors.of(signer.trust().signerKey(), (ECPublicKey) g.generateKeyPair().getPublic())
            .asDevelopment();
    BundleRealmSource source =
        BundleRealmSource.create(
            wrong,
            null,
            TestFleet.TEST_PIN_PARAMS,
            Clock.systemUTC(),
            EvidencePolicy.development(),
            null);

    assertThatThrownBy(() -> source.realmFromEnvelope(envelope))
        .isInstanceOf(FleetvaultException.class)
        .hasMessageContaining("OPERATOR_SIGNATURE_INVALID");
    assertThat(source.state()).isEqualTo(VerifierState.initial());
  }

  @Test
  void realm_noBundleFromEdge_verificationFailed() throws Exception {
    BundleRealmSource source =
        BundleRealmSource.create(
            signer.trust(),
            null,
            TestFleet.TEST_PIN_PARAMS,
            Clock.systemUTC(),
            EvidencePolicy.development(),
            null);

    assertThatThrownBy(() -> source.realm(StatusResponse.getDefaultInstance()))
        .isInstanceOf(FleetvaultException.class)
        .hasMessageContaining("no validation bundle");
  }
}
