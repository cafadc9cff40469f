package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.FleetArtifact;
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
import dev.fleetvault.gateway.edge.SignerBundleSource;
import dev.fleetvault.protocol.flow.MemberKey;
import dev.fleetvault.protocol.flow.RealmConfig;
import dev.fleetvault.protocol.wire.StatusResponse;
import dev.fleetvault.signer.SignerClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Over the air, end to end on the local fleet as {@code fleetvault up} runs it (nodes + local
 * signer + trust file): a fresh client verifies the served bundle, registers, the fleet rotates
 * every member's HPKE key and publishes a new epoch, and the same client (no update, new session)
 * verifies the new bundle and recovers sealing to the new keys; a client that has seen the new
 * epoch refuses the old bundle; {@code bundle verify --edge} and {@code audit --signer} pass on the
 * running fleet and fail on a tampered one.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BundleRotationTest {
  private TestFleet fleet;
  private Path work;
  private byte[] epoch1Envelope;

  @BeforeAll
  void start() throws Exception {
    work = TestDirs.fresh("bundle-rotation");
    fleet = TestFleet.start(work.resolve("fleet"), Ports.freeBlock(Ports.FLEET_BLOCK));
  }

  @AfterAll
  void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  /** Records every realm the client seals to (what the verified bundle named). */
  private static RealmSource recording(
      BundleRealmSource source, List<RealmConfig> seen, List<byte[]> envelopes) {
    return new RealmSource() {
      @Override
      public boolean needsStatus() {
        return true;
      }

      @Override
      public RealmConfig realm(StatusResponse status) {
        envelopes.add(status.getValidationBundle().toByteArray());
        RealmConfig r = source.realm(status);
        seen.add(r);
        return r;
      }

      @Override
      public long knownEpoch() {
        return source.knownEpoch();
      }

      @Override
      public long knownTreeSize() {
        return source.knownTreeSize();
      }
    };
  }

  private List<byte[]> directoryKeys() throws Exception {
    FleetDirectory dir = new FleetDirectory(fleet.config().fleetDir());
    List<byte[]> keys = new ArrayList<>();
    for (String id : List.of("dc1", "dc2", "dc3")) {
      keys.add(dir.read(id).orElseThrow().hpkePublic());
    }
    return keys;
  }

  private static void assertSealedTo(RealmConfig realm, List<byte[]> expected) {
    assertThat(realm.size()).isEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      MemberKey m = realm.member(i + 1);
      assertThat(m.index()).isEqualTo(i + 1);
      assertThat(MessageDigest.isEqual(m.hpkePublicKey().encodeUncompressed(), expected.get(i)))
          .as("member %d sealed to the bundle's key", i + 1)
          .isTrue();
    }
  }

  @Test
  @Order(1)
  void recover_afterFleetRotation_verifiesNewEpochAndSealsToNewKeys() throws Exception {
    TrustAnchors trust = TrustAnchors.parse(Files.readAllBytes(fleet.bundles().trustFile()));
    Path stateFile = work.resolve("client").resolve("bundle-state.json");
    BundleRealmSource source =
        BundleRealmSource.create(
            trust,
            stateFile,
            TestFleet.TEST_PIN_PARAMS,
            Clock.systemUTC(),
            EvidencePolicy.development(),
            null);
    List<RealmConfig> seen = new CopyOnWriteArrayList<>();
    List<byte[]> envelopes = new CopyOnWriteArrayList<>();
    long epoch1 = fleet.bundles().epoch();
    List<byte[]> oldKeys = directoryKeys();
    byte[] secret = "rotated over the air".getBytes(StandardCharsets.UTF_8);

    try (FleetvaultClient c =
            FleetvaultClient.create(
                ClientOptions.builder()
                    .edges(fleet.edges())
                    .appId(TestFleet.APP)
                    .transport(TransportKind.GRPC)
                    .tokens(fleet.tokens())
                    .realm(recording(source, seen, envelopes))
                    .build());
        Pin pin = Pin.of("4711".toCharArray());
        BackupSecret s = BackupSecret.copyOf(secret)) {
      assertThat(c.blocking().register("rotating-user", pin, s, 5))
          .isInstanceOf(RegisterResult.Registered.class);
      assertThat(source.state().epoch()).isEqualTo(epoch1);
      assertSealedTo(seen.get(seen.size() - 1), oldKeys);
      epoch1Envelope = envelopes.get(envelopes.size() - 1);
      // a second client that verified epoch 1 and then stays away during the rotation
      BundleRealmSource lagging =
          BundleRealmSource.create(
              trust,
              null,
              TestFleet.TEST_PIN_PARAMS,
              Clock.systemUTC(),
              EvidencePolicy.development(),
              null);
      RealmConfig lagRealm = lagging.realmFromEnvelope(epoch1Envelope);
      long lagSize = lagging.knownTreeSize();

      Bundle rotated = fleet.bundles().rotate();
      long epoch2 = FleetArtifact.parse(rotated.artifact()).epoch();
      assertThat(epoch2).isEqualTo(epoch1 + 1);
      List<byte[]> newKeys = directoryKeys();
      for (int i = 0; i < 3; i++) {
        assertThat(MessageDigest.isEqual(newKeys.get(i), oldKeys.get(i)))
            .as("dc%d rotated", i + 1)
            .isFalse();
      }

      RecoverResult r = c.blocking().recover("rotating-user", pin);
      assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
      assertThat(((RecoverResult.Recovered) r).secret().copyBytes()).isEqualTo(secret);
      assertThat(source.state().epoch()).isEqualTo(epoch2);
      assertSealedTo(seen.get(seen.size() - 1), newKeys);
      VerifierState saved = VerifierState.parse(Files.readAllBytes(stateFile));
      assertThat(saved.epoch()).isEqualTo(epoch2);
      assertThat(saved.treeSize()).isGreaterThan(1);

      phaseAnswers_afterRotation_consistentFromTheClientsTreeSize(
          source, lagging, lagRealm, lagSize, epoch1, epoch2);
    }
  }

  /**
   * PROTOCOL.md 13.9: a phase answer carries the envelope from the client's known_tree_size, or
   * none when the client already holds that epoch and checkpoint; never an older epoch, never from
   * another size.
   */
  private void phaseAnswers_afterRotation_consistentFromTheClientsTreeSize(
      BundleRealmSource current,
      BundleRealmSource lagging,
      RealmConfig lagRealm,
      long lagSize,
      long epoch1,
      long epoch2)
      throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    io.vertx.grpc.client.GrpcClient grpc =
        io.vertx.grpc.client.GrpcClient.client(
            vertx,
            new io.vertx.core.http.HttpClientOptions()
                .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    try {
      String user = "rotating-user";
      String token = fleet.tokens().tokenFor(user).toCompletableFuture().get();
      dev.fleetvault.protocol.wire.Recover0Request r0 =
          dev.fleetvault.protocol.flow.Recovery.begin(
                  lagRealm,
                  TestFleet.APP,
                  user.getBytes(StandardCharsets.UTF_8),
                  dev.fleetvault.protocol.secret.SecretBytes.copyOf(new byte[] {4}),
                  new java.security.SecureRandom())
              .recover0Request();
      for (var edge : fleet.edges()) {
        // the client that knows the new epoch: nothing to catch up on, so no envelope (old code:
        // the one from 0)
        var upToDate =
            recover0(
                grpc,
                edge,
                r0.toBuilder()
                    .setKnownBundleEpoch(current.knownEpoch())
                    .setKnownTreeSize(current.knownTreeSize())
                    .build(),
                token);
        assertThat(upToDate.getValidationBundle().isEmpty())
            .as("%s: current client gets no envelope", edge)
            .isTrue();
        assertThat(current.knownEpoch()).isEqualTo(epoch2);
      }
      // the client still at epoch 1: the new epoch, consistent from its own size, which it verifies
      var behind =
          recover0(
              grpc,
              fleet.edges().get(1),
              r0.toBuilder().setKnownBundleEpoch(epoch1).setKnownTreeSize(lagSize).build(),
              token);
      byte[] env = behind.getValidationBundle().toByteArray();
      assertThat(env).as("a lagging client is sent the new epoch").isNotEmpty();
      assertThat(BundleEnvelope.parse(env).consistencyFrom()).isEqualTo(lagSize);
      lagging.realmFromEnvelope(env);
      assertThat(lagging.knownEpoch()).isEqualTo(epoch2);
      assertThat(lagging.knownTreeSize()).isEqualTo(current.knownTreeSize());
    } finally {
      grpc.close();
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /**
   * One raw Recover0 call to {@code edge} over gRPC (HTTP/2 with prior knowledge), so the test sets
   * the known epoch and tree size itself, as a client at any point of the log would.
   */
  private static dev.fleetvault.protocol.wire.Recover0Response recover0(
      io.vertx.grpc.client.GrpcClient grpc,
      dev.fleetvault.client.Edge edge,
      dev.fleetvault.protocol.wire.Recover0Request request,
      String token)
      throws Exception {
    return grpc.request(
            io.vertx.core.net.SocketAddress.inetSocketAddress(edge.port(), edge.host()),
            dev.fleetvault.protocol.wire.VaultGrpcClient.Recover0)
        .compose(
            req -> {
              req.headers().set("authorization", "Bearer " + token);
              return req.send(request).compose(resp -> resp.last());
            })
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  @Order(2)
  void realm_replayedEpoch1BundleAfterEpoch2_refused() throws Exception {
    TrustAnchors trust = TrustAnchors.parse(Files.readAllBytes(fleet.bundles().trustFile()));
    Path stateFile = work.resolve("client").resolve("bundle-state.json");
    BundleRealmSource source =
        BundleRealmSource.create(
            trust,
            stateFile,
            TestFleet.TEST_PIN_PARAMS,
            Clock.systemUTC(),
            EvidencePolicy.development(),
            null);
    assertThat(source.state().epoch()).isEqualTo(2);
    assertThat(epoch1Envelope).isNotNull();
    // the very bytes an edge served at epoch 1
    assertThatThrownBy(() -> source.realmFromEnvelope(epoch1Envelope))
        .isInstanceOf(FleetvaultException.class)
        .hasMessageContaining("validation bundle rejected");
    // the epoch-1 bundle re-anchored in today's log (a consistent checkpoint): refused as an epoch
    // rollback
    SignerClient signer = new SignerClient(fleet.bundles().signerUrl());
    Bundle old = signer.bundle(FleetArtifact.NAMESPACE, 1L);
    long size = source.state().treeSize();
    byte[] replay = new BundleEnvelope(old, size, List.of()).toJson();
    assertThatThrownBy(() -> source.realmFromEnvelope(replay))
        .isInstanceOf(FleetvaultException.class)
        .hasMessageContaining("EPOCH_ROLLBACK");
    assertThat(source.state().epoch()).isEqualTo(2);
  }

  @Test
  @Order(2)
  void transparencySite_afterRotation_servesBothEpochsAndTheKeyChange() throws Exception {
    java.net.http.HttpClient h = java.net.http.HttpClient.newHttpClient();
    String site = fleet.bundles().transparencyUrl().toString();
    java.net.http.HttpResponse<String> index =
        h.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(site)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body())
        .contains(
            "epochs/1/index.html",
            "epochs/2/index.html",
            "No deployment evidence (development fleet)");
    String epoch2 =
        h.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(site + "epochs/2/index.html"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(epoch2)
        .contains(
            "What changed since epoch 1",
            "class=\"changed\"",
            "HPKE key sha256:",
            "fleetvault bundle verify --file bundle.json --trust trust.json --no-state");
  }

  @Test
  @Order(3)
  void bundleVerifyAndAudit_runningFleet_succeedThenFailWhenTampered() throws Exception {
    String edge = fleet.edges().get(0).toString();
    String trust = fleet.bundles().trustFile().toString();
    Path state = work.resolve("cli-state.json");
    CliRun v =
        CliRun.run(
            "", "bundle", "verify", "--edge", edge, "--trust", trust, "--state", state.toString());
    assertThat(v.exit()).as(v.toString()).isZero();
    assertThat(v.out()).contains("valid: fleet test epoch 2");
    CliRun again =
        CliRun.run(
            "", "bundle", "verify", "--edge", edge, "--trust", trust, "--state", state.toString());
    assertThat(again.exit()).as(again.toString()).isZero();
    CliRun audit =
        CliRun.run(
            "", "audit", "--signer", fleet.bundles().signerUrl().toString(), "--trust", trust);
    assertThat(audit.exit()).as(audit.toString() + audit.out()).isZero();
    assertThat(audit.out()).contains("epoch 1").contains("epoch 2");
    // the default connecting path verifies the served bundle too
    CliRun status = CliRun.run("", fleet.cliArgs(), "status");
    assertThat(status.exit()).as(status.toString()).isZero();

    // tampered: the edges serve the current bundle with one artifact byte changed
    byte[] good =
        new SignerClient(fleet.bundles().signerUrl()).envelope(FleetArtifact.NAMESPACE, 0);
    BundleEnvelope env = BundleEnvelope.parse(good);
    Bundle b = env.bundle();
    byte[] art = b.artifact();
    String text = new String(art, StandardCharsets.UTF_8);
    art[text.indexOf("\"threshold\":2") + "\"threshold\":".length()] = '3';
    byte[] tampered =
        new BundleEnvelope(
                new Bundle(
                    art,
                    b.message(),
                    b.signerSignature(),
                    b.operatorSignature(),
                    b.logIndex(),
                    b.inclusionProof(),
                    b.checkpoint()),
                0,
                env.consistencyProof())
            .toJson();
    fleet.localFleet().serveBundles(epoch -> ByteString.copyFrom(tampered));
    try {
      CliRun bad =
          CliRun.run("", "bundle", "verify", "--edge", edge, "--trust", trust, "--no-state");
      assertThat(bad.exit()).isEqualTo(ExitCodes.FAILURE);
      assertThat(bad.stderr()).contains("invalid: DIGEST_MISMATCH");
      CliRun recover = CliRun.run("4711\n", fleet.cliArgs(), "recover", "--user", "rotating-user");
      assertThat(recover.exit()).as(recover.toString()).isNotZero();
      assertThat(recover.stderr()).contains("DIGEST_MISMATCH");
    } finally {
      fleet.localFleet().serveBundles(new SignerBundleSource(fleet.bundles().signerUrl()));
    }

    // tampered log: an entry whose digest matches no artifact the operator published
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(new byte[] {9});
    new SignerClient(fleet.bundles().signerUrl())
        .publish(
            FleetArtifact.NAMESPACE,
            99,
            digest,
            m -> {
              try {
                return fleet.bundles().signer().operatorSign(m);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    CliRun badAudit =
        CliRun.run(
            "", "audit", "--signer", fleet.bundles().signerUrl().toString(), "--trust", trust);
    assertThat(badAudit.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(badAudit.stderr()).contains("matches no artifact the operator published");
  }

  @Test
  @Order(4)
  void recover_sealedToReplacedKey_opensUntilTheNextRotation() throws Exception {
    byte[] secret = "in flight".getBytes(StandardCharsets.UTF_8);
    // a client that took the member keys before the rotation (a session in flight) keeps them
    try (FleetvaultClient stale = fleet.client(TransportKind.GRPC);
        Pin pin = Pin.of("1357".toCharArray());
        BackupSecret s = BackupSecret.copyOf(secret)) {
      assertThat(stale.blocking().register("in-flight-user", pin, s, 5))
          .isInstanceOf(RegisterResult.Registered.class);
      fleet.bundles().rotate();
      RecoverResult r = stale.blocking().recover("in-flight-user", pin);
      assertThat(r).as("the replaced key still opens").isInstanceOf(RecoverResult.Recovered.class);
      assertThat(((RecoverResult.Recovered) r).secret().copyBytes()).isEqualTo(secret);

      fleet.bundles().rotate();
      Object after;
      try {
        after = stale.blocking().recover("in-flight-user", pin);
      } catch (RuntimeException e) {
        after = e;
      }
      assertThat(after)
          .as("two rotations later the old key no longer opens anything")
          .isNotInstanceOf(RecoverResult.Recovered.class);
    }
  }
}
