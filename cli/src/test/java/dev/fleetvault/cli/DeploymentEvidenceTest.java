package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.evidence.EvidenceManifest;
import dev.fleetvault.bundles.evidence.EvidencePolicy;
import dev.fleetvault.bundles.evidence.SpkiKeys;
import dev.fleetvault.bundles.evidence.Transcript;
import dev.fleetvault.bundles.evidence.WitnessPolicy;
import dev.fleetvault.bundles.evidence.WitnessSignature;
import dev.fleetvault.bundles.tlog.NoteKey;
import dev.fleetvault.client.BundleRealmSource;
import dev.fleetvault.client.EvidenceCheck;
import dev.fleetvault.client.FleetvaultException;
import dev.fleetvault.protocol.flow.RealmConfig;
import dev.fleetvault.signer.LocalSigner;
import dev.fleetvault.signer.SignerClient;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Deploying a fleet from a key ceremony, checked from outside: {@code evidence verify} with {@code
 * --bundle} (the bundle's signatures and log inclusion under pinned keys, the artifact naming the
 * package), from a URL, with {@code --rebuild}; and the SDK's default evidence policy refusing
 * artifacts it must not seal to.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentEvidenceTest {
  private static final String NS = FleetArtifact.NAMESPACE;
  private TestCeremony ceremony;
  private TestCeremony.Result c1;
  private FleetArtifact artifact;
  private Vertx vertx;
  private LocalSigner signer;
  private Path work;
  private Path trust;
  private Path bundle1;
  private Path bundleOtherDigest;
  private HttpServer http;
  private TrustAnchors production;

  @BeforeAll
  void setUp() throws Exception {
    work = TestDirs.fresh("deploy-evidence");
    ceremony = new TestCeremony(work);
    c1 = ceremony.run("c1", 3, 1);
    artifact = FleetArtifact.parse(Files.readAllBytes(c1.artifact()));
    vertx = Vertx.vertx();
    Path pass = work.resolve("signer-pass.txt");
    Files.writeString(pass, "signer test passphrase\n", StandardCharsets.US_ASCII);
    signer = LocalSigner.start(vertx, work.resolve("signer"), pass, 0);
    trust = signer.trustFile();
    TrustAnchors t = signer.trust();
    production = new TrustAnchors(t.signerKey(), t.operatorKey(), List.of(), 0);
    signer.publish(artifact);
    // epoch 2: the same members, but an artifact naming another evidence package
    signer.publish(withEpochAndDigest(artifact, 2, artifact.threshold(), new byte[32]));
    // epoch 3: no evidence at all (what the development fleet publishes); epoch 4: a minority
    // threshold
    signer.publish(withEpochAndDigest(artifact, 3, artifact.threshold(), new byte[0]));
    signer.publish(withEpochAndDigest(artifact, 4, 1, artifact.evidenceDigest()));
    SignerClient c = new SignerClient(signer.url());
    bundle1 = work.resolve("bundle-1.json");
    Files.write(bundle1, c.bundle(NS, 1).toJson());
    bundleOtherDigest = work.resolve("bundle-2.json");
    Files.write(bundleOtherDigest, c.bundle(NS, 2).toJson());
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        ex -> {
          Path p = work.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
          byte[] body =
              p.startsWith(work) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                  ? Files.readAllBytes(p)
                  : null;
          ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
          if (body != null) {
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
    http.start();
  }

  @AfterAll
  void tearDown() throws Exception {
    if (http != null) {
      http.stop(0);
    }
    if (signer != null) {
      signer.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static FleetArtifact withEpochAndDigest(
      FleetArtifact a, long epoch, int threshold, byte[] digest) {
    return new FleetArtifact(
        a.namespace(),
        a.fleetId(),
        epoch,
        threshold,
        a.members(),
        a.notBefore(),
        a.notAfter(),
        digest);
  }

  private CliRun verify(String evidence, String... extra) {
    List<String> a = new ArrayList<>(List.of("evidence", "verify", evidence));
    a.addAll(ceremony.witnessArgs());
    a.add("--allow-soft-driver");
    a.addAll(List.of(extra));
    CliRun r = CliRun.run("", a.toArray(new String[0]));
    System.out.println(r.out() + r.stderr());
    return r;
  }

  private String url(Path p) {
    return "http://127.0.0.1:"
        + http.getAddress().getPort()
        + "/"
        + work.relativize(p).toString().replace('\\', '/');
  }

  // ---- evidence verify --bundle ----

  @Test
  void evidenceVerify_bundleFromTheLog_verifiesBundleAndEvidence() {
    CliRun r =
        verify(
            c1.evidence().toString(), "--bundle", bundle1.toString(), "--trust", trust.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains(
            "PASS artifact evidence digest: the artifact (cer epoch 1) names this package",
            "PASS bundle artifact: SHA-256 of the artifact is the signed digest (fleet cer epoch 1)",
            "PASS bundle signatures: signer fleetvault.local/signer and operator counter-signature verify",
            "PASS bundle log inclusion: log index 0 is included in the checkpoint of size 4",
            "VERIFIED:");
  }

  @Test
  void evidenceVerify_bundleNotInTheLog_rejected() throws Exception {
    Bundle b = Bundle.parse(Files.readAllBytes(bundle1));
    List<byte[]> proof = new ArrayList<>();
    for (byte[] h : b.inclusionProof()) {
      proof.add(h.clone());
    }
    proof.get(0)[0] ^= 1; // the entry's path to the root no longer exists in the log
    Path forged = work.resolve("bundle-not-in-log.json");
    Files.write(forged, b.withCheckpoint(b.checkpoint(), proof).toJson());
    CliRun r =
        verify(
            c1.evidence().toString(), "--bundle", forged.toString(), "--trust", trust.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains(
            "FAIL bundle: INCLUSION_PROOF_MISMATCH",
            "(the bundle is not in the audit log the checkpoint commits to)",
            "REJECTED:");
  }

  @Test
  void evidenceVerify_bundleUnderAnotherSignerKey_rejected() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
    byte[] raw = SpkiKeys.ed25519Raw(g.generateKeyPair().getPublic().getEncoded());
    TrustAnchors other =
        new TrustAnchors(
            new NoteKey(production.logOrigin(), NoteKey.TYPE_ED25519, raw),
            production.operatorKey(),
            List.of(),
            0);
    Path t = work.resolve("other-trust.json");
    Files.write(t, other.toJson());
    CliRun r =
        verify(c1.evidence().toString(), "--bundle", bundle1.toString(), "--trust", t.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains(
            "FAIL bundle: SIGNER_SIGNATURE_INVALID",
            "not signed by the signer pinned in the trust file");
  }

  @Test
  void evidenceVerify_bundleNamingAnotherPackage_digestMismatch() {
    CliRun r =
        verify(
            c1.evidence().toString(),
            "--bundle",
            bundleOtherDigest.toString(),
            "--trust",
            trust.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains(
            "FAIL artifact evidence digest: digest mismatch: the artifact says " + "00".repeat(32),
            "PASS bundle signatures",
            "REJECTED:");
  }

  @Test
  void evidenceVerify_bundleWithoutTrustFile_usage() {
    CliRun r =
        verify(
            c1.evidence().toString(),
            "--bundle",
            bundle1.toString(),
            "--trust",
            work.resolve("nope.json").toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr())
        .contains("no trust file", "--bundle needs the pinned signer and operator keys");
  }

  /**
   * An operator who rewrites dc1's statement signature and then re-does everything it can
   * (transcript hash, both witnesses re-sign with their real keys, manifest, artifact digest, a
   * properly logged bundle): only the member's own signature gives it away.
   */
  @Test
  void evidenceVerify_consistentlyRepackagedWrongMemberSignature_rejectedNamingTheMember()
      throws Exception {
    Path d = ceremony.copy(c1.evidence(), "forged-signature");
    String dc1 = Files.readString(d.resolve("statements/dc1.json"));
    String dc2 = Files.readString(d.resolve("statements/dc2.json"));
    String sig2 = dc2.replaceAll("(?s)^\\{\"signature\":\"([^\"]+)\".*", "$1");
    Files.writeString(
        d.resolve("statements/dc1.json"),
        dc1.replaceFirst("\"signature\":\"[^\"]+\"", "\"signature\":\"" + sig2 + "\""));
    Transcript t = Transcript.parse(Files.readAllBytes(d.resolve("transcript.json")));
    List<Transcript.Entry> entries = new ArrayList<>();
    for (Transcript.Entry e : t.members()) {
      byte[] b = Files.readAllBytes(d.resolve(e.statementPath()));
      entries.add(
          new Transcript.Entry(
              e.memberId(),
              e.statementPath(),
              java.security.MessageDigest.getInstance("SHA-256").digest(b)));
    }
    Transcript forged =
        new Transcript(t.fleetId(), t.epoch(), t.threshold(), t.combinedAt(), entries);
    Files.write(d.resolve("transcript.json"), forged.toCanonicalJson());
    List<WitnessSignature> sigs = new ArrayList<>();
    for (String w : List.of("alice", "bob")) {
      String pem =
          Files.readString(ceremony.keys.resolve(w + ".key.pem"))
              .replaceAll("-----[A-Z ]+-----|\\s", "");
      java.security.PrivateKey k =
          java.security.KeyFactory.getInstance("Ed25519")
              .generatePrivate(
                  new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
      java.security.Signature sg = java.security.Signature.getInstance("Ed25519");
      sg.initSign(k);
      sg.update(forged.witnessInput());
      sigs.add(new WitnessSignature(w, witnesses().witnesses().get(w), sg.sign()));
    }
    Files.write(d.resolve("witnesses.json"), WitnessSignature.encodeAll(sigs));
    Map<String, byte[]> files =
        new TreeMap<>(dev.fleetvault.cli.ceremony.EvidencePackages.readTree(d));
    files.remove(EvidenceManifest.PATH);
    EvidenceManifest m = EvidenceManifest.of(files);
    Files.write(d.resolve(EvidenceManifest.PATH), m.toCanonicalJson());
    signer.publish(withEpochAndDigest(artifact, 5, artifact.threshold(), m.digest()));
    Path b = work.resolve("bundle-forged.json");
    Files.write(b, new SignerClient(signer.url()).bundle(NS, 5).toJson());

    CliRun r = verify(d.toString(), "--bundle", b.toString(), "--trust", trust.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains(
            "PASS files: all",
            "PASS artifact evidence digest",
            "PASS witness quorum",
            "PASS bundle log inclusion",
            "FAIL statement dc1: signature: does not verify with the member's signing key: wrong member signature",
            "FAIL artifact member dc1: has no verified key statement",
            "REJECTED:");
  }

  // ---- evidence verify URL ----

  @Test
  void evidenceVerify_url_verifiedLikeADirectory() {
    CliRun r = verify(url(c1.evidence()), "--bundle", url(bundle1), "--trust", url(trust));
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("PASS download:", "PASS files: all", "PASS bundle log inclusion", "VERIFIED:");
  }

  @Test
  void evidenceVerify_urlWithTamperedFile_rejectedNamingTheFile() throws Exception {
    Path d = ceremony.copy(c1.evidence(), "tampered-url");
    Path f = d.resolve("logs/dc1.ceremony.log");
    Files.writeString(f, Files.readString(f) + "edited after the ceremony\n");
    CliRun r = verify(url(d), "--bundle", url(bundle1), "--trust", url(trust));
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains("FAIL file logs/dc1.ceremony.log: SHA-256", "the file was changed", "REJECTED:");
  }

  @Test
  void evidenceVerify_urlWithMissingFile_rejected() throws Exception {
    Path d = ceremony.copy(c1.evidence(), "missing-url");
    Files.delete(d.resolve("statements/dc2.json"));
    CliRun r = verify(url(d));
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains("FAIL file statements/dc2.json: listed in the manifest but missing");
  }

  @Test
  void evidenceVerify_urlNotServed_failsNamingTheUrl() {
    CliRun r = verify(url(work.resolve("no-such-package")));
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.stderr()).contains("no-such-package/manifest.json: HTTP 404");
  }

  // ---- evidence verify --rebuild ----

  private Path sourceTree(String name, byte[] payload) throws Exception {
    Path src = work.resolve(name);
    Files.createDirectories(src.resolve("dist"));
    Files.writeString(src.resolve("pom.xml"), "<project/>\n");
    Files.write(src.resolve("dist/payload"), payload);
    for (List<String> cmd :
        List.of(
            List.of("git", "init", "-q"),
            List.of("git", "add", "-A"),
            List.of(
                "git",
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.invalid",
                "commit",
                "-q",
                "-m",
                "source"))) {
      Process p = new ProcessBuilder(cmd).directory(src.toFile()).redirectErrorStream(true).start();
      assertThat(p.waitFor())
          .as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isZero();
    }
    return src;
  }

  /**
   * Runs with a stand-in for Maven that "builds" dist/target/fleetvault-test.tar.gz from
   * dist/payload.
   */
  private CliRun rebuild(Path src) throws Exception {
    Path mvn = work.resolve("fake-mvn.sh");
    Files.writeString(
        mvn,
        "#!/bin/sh\nmkdir -p dist/target && cp dist/payload dist/target/fleetvault-test.tar.gz\n");
    mvn.toFile().setExecutable(true);
    System.setProperty("fleetvault.mvn", mvn.toString());
    try {
      return verify(
          c1.evidence().toString(),
          "--artifact",
          c1.artifact().toString(),
          "--rebuild",
          "--source",
          src.toString());
    } finally {
      System.clearProperty("fleetvault.mvn");
    }
  }

  @Test
  void evidenceVerify_rebuildMatchesStatements_softwareChecked() throws Exception {
    CliRun r = rebuild(sourceTree("src-same", Files.readAllBytes(work.resolve("dist.tar"))));
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains(
            "PASS rebuild: fleetvault-test.tar.gz from commit",
            "PASS software dc1: runs the expected build",
            "PASS software dc3",
            "VERIFIED:");
  }

  @Test
  void evidenceVerify_rebuildDiffers_softwareMismatchPerMember() throws Exception {
    CliRun r = rebuild(sourceTree("src-other", "another build\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out()).contains("PASS rebuild:", "FAIL software dc2: runs ", "REJECTED:");
  }

  @Test
  void evidenceVerify_rebuildWithoutSourceTree_failsNamingIt() throws Exception {
    Path empty = work.resolve("empty-src");
    Files.createDirectories(empty);
    CliRun r = rebuild(empty);
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out()).contains("FAIL rebuild: ", "is not a Fleetvault source tree");
  }

  // ---- the SDK's default evidence policy ----

  private byte[] envelope(long epoch) throws Exception {
    return new BundleEnvelope(new SignerClient(signer.url()).bundle(NS, epoch), 0, List.of())
        .toJson();
  }

  private BundleRealmSource strict(EvidenceCheck check) throws Exception {
    return BundleRealmSource.create(
        production,
        null,
        TestFleet.TEST_PIN_PARAMS,
        Clock.systemUTC(),
        EvidencePolicy.STRICT,
        check);
  }

  private WitnessPolicy witnesses() throws Exception {
    Map<String, byte[]> w = new TreeMap<>();
    for (String n : List.of("alice", "bob")) {
      String pem =
          Files.readString(ceremony.keys.resolve(n + ".pub.pem"))
              .replaceAll("-----[A-Z ]+-----|\\s", "");
      w.put(n, SpkiKeys.ed25519Raw(Base64.getDecoder().decode(pem)));
    }
    return new WitnessPolicy(w, 2);
  }

  @Test
  void realm_ceremonyArtifact_acceptedByDefault() throws Exception {
    BundleRealmSource s =
        BundleRealmSource.create(production, null, TestFleet.TEST_PIN_PARAMS, Clock.systemUTC());
    assertThat(s.policy()).isEqualTo(EvidencePolicy.STRICT);
    RealmConfig realm = s.realmFromEnvelope(envelope(1));
    assertThat(realm.threshold()).isEqualTo(2);
    assertThat(s.knownEpoch()).isEqualTo(1);
  }

  @Test
  void realm_emptyEvidenceDigest_refusedByDefault() throws Exception {
    BundleRealmSource s =
        BundleRealmSource.create(production, null, TestFleet.TEST_PIN_PARAMS, Clock.systemUTC());
    assertThatThrownBy(() -> s.realmFromEnvelope(envelope(3)))
        .isInstanceOf(FleetvaultException.class)
        .hasMessageContaining("refused by the evidence policy")
        .hasMessageContaining("artifact cer epoch 3 has an empty evidence_digest");
    assertThat(s.knownEpoch()).as("a refused artifact advances nothing").isZero();
  }

  @Test
  void realm_minorityThreshold_refusedByDefault() throws Exception {
    BundleRealmSource s = strict(null);
    assertThatThrownBy(() -> s.realmFromEnvelope(envelope(4)))
        .isInstanceOf(FleetvaultException.class)
        .hasMessageContaining("artifact threshold 1 is not the majority of its 3 members (2)");
  }

  @Test
  void realm_evidenceCheckOnSoftDriverMembers_refusedByPolicy() throws Exception {
    BundleRealmSource s =
        strict(
            new EvidenceCheck(
                a -> dev.fleetvault.cli.ceremony.EvidencePackages.readTree(c1.evidence()),
                witnesses()));
    assertThatThrownBy(() -> s.realmFromEnvelope(envelope(1)))
        .isInstanceOf(FleetvaultException.class)
        .hasMessageContaining("evidence statement dc1: hsm: keys are in the software driver")
        .hasMessageContaining("refused by policy");
    assertThat(s.knownEpoch()).isZero();
  }

  @Test
  void realm_evidenceCheckTamperedPackage_refusedNamingTheFile() throws Exception {
    Path d = ceremony.copy(c1.evidence(), "tampered-client");
    Files.writeString(d.resolve("logs/combine.log"), "rewritten\n");
    BundleRealmSource s =
        strict(
            new EvidenceCheck(
                a -> dev.fleetvault.cli.ceremony.EvidencePackages.readTree(d), witnesses()));
    assertThatThrownBy(() -> s.realmFromEnvelope(envelope(1)))
        .isInstanceOf(FleetvaultException.class)
        .hasMessageContaining("evidence file logs/combine.log: SHA-256");
  }

  @Test
  void realm_evidenceUnavailable_refused() throws Exception {
    BundleRealmSource s =
        strict(
            new EvidenceCheck(
                a -> {
                  throw new java.io.IOException("connection refused");
                },
                witnesses()));
    assertThatThrownBy(() -> s.realmFromEnvelope(envelope(1)))
        .isInstanceOf(FleetvaultException.class)
        .hasMessageContaining(
            "the evidence package of cer epoch 1 cannot be fetched: connection refused");
  }

  @Test
  void create_developmentPolicyWithProductionAnchors_refused() {
    assertThatThrownBy(
            () ->
                BundleRealmSource.create(
                    production,
                    null,
                    TestFleet.TEST_PIN_PARAMS,
                    Clock.systemUTC(),
                    EvidencePolicy.development(),
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only accepted with development trust anchors");
    assertThatThrownBy(
            () ->
                BundleRealmSource.create(
                    production,
                    null,
                    TestFleet.TEST_PIN_PARAMS,
                    Clock.systemUTC(),
                    EvidencePolicy.STRICT.allowingSoftDriver(),
                    null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void realm_developmentAnchorsWithoutDevelopmentPolicy_stillStrict() throws Exception {
    BundleRealmSource s =
        BundleRealmSource.create(
            signer.trust(), null, TestFleet.TEST_PIN_PARAMS, Clock.systemUTC());
    assertThatThrownBy(() -> s.realmFromEnvelope(envelope(3)))
        .isInstanceOf(FleetvaultException.class)
        .hasMessageContaining("empty evidence_digest");
  }

  @Test
  void realm_developmentAnchorsAndPolicy_acceptTheLocalFleet() throws Exception {
    assertThat(signer.trust().development()).isTrue();
    assertThat(TrustAnchors.parse(Files.readAllBytes(trust)).development()).isTrue();
    assertThat(new String(production.toJson(), StandardCharsets.UTF_8))
        .doesNotContain("development");
    BundleRealmSource s =
        BundleRealmSource.create(
            signer.trust(),
            null,
            TestFleet.TEST_PIN_PARAMS,
            Clock.systemUTC(),
            EvidencePolicy.development(),
            null);
    assertThat(s.realmFromEnvelope(envelope(3)).threshold()).isEqualTo(2);
  }
}
