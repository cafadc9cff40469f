package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.gateway.FleetvaultNode;
import dev.fleetvault.gateway.config.HostPort;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.config.NodeSpec;
import dev.fleetvault.gateway.peer.PeerIdentity;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A production fleet from the key ceremony ({@link CeremonyFleet}): three nodes with separate data
 * directories that learn their peers only from the signed bundle register and recover; a node
 * refuses to start on a bundle that does not list it, that does not verify (wrong signer key, not
 * in the log), or whose entry for it does not match its own HSM; a peer with a valid TLS
 * certificate that is not in the artifact is refused on the peer port and both quorum ports.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CeremonyFleetTest {
  private CeremonyFleet fleet;

  @BeforeAll
  void ceremonyThenNodes() throws Exception {
    fleet = new CeremonyFleet(TestDirs.fresh("ceremony-fleet"), Ports.freeBlock(Ports.FLEET_BLOCK));
    fleet.writeConfigs();
    fleet.ceremonyAndBundle();
    fleet.startNodes();
  }

  @AfterAll
  void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void ceremonyFleet_threeNodesSeparateDataDirs_registersAndRecovers() throws Exception {
    for (FleetvaultNode n : fleet.nodes) {
      FleetArtifact a = n.artifact().orElseThrow();
      assertThat(a.fleetId()).isEqualTo("ceremony-test");
      assertThat(a.members()).allSatisfy(m -> assertThat(m.hasPeerTlsCertificate()).isTrue());
    }
    for (int i = 1; i <= 3; i++) {
      // nothing is learnt from (or written to) a shared fleet directory
      assertThat(fleet.dc(i).resolve("data/fleet")).doesNotExist();
      Path key = fleet.dc(i).resolve("data/dc" + i + "/" + PeerIdentity.KEY_FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
          .isEqualTo("rw-------");
    }
    Path secret = fleet.dir.resolve("secret.bin");
    Files.writeString(secret, "ceremony fleet secret");
    Path state = fleet.dir.resolve("client-state.json");
    CliRun reg =
        CliRun.run(
            "2468\n",
            fleet.clientArgs(state),
            "register",
            "--user",
            "cer-user",
            "--secret-file",
            secret.toString(),
            "--guesses",
            "3");
    assertThat(reg.exit()).as(reg.out() + reg).isZero();
    CliRun wrong = CliRun.run("1111\n", fleet.clientArgs(state), "recover", "--user", "cer-user");
    assertThat(wrong.exit()).as(wrong.out() + wrong).isEqualTo(ExitCodes.WRONG_PIN);
    CliRun ok = CliRun.run("2468\n", fleet.clientArgs(state), "recover", "--user", "cer-user");
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(ok.out()).isEqualTo("ceremony fleet secret");
  }

  @Test
  void start_bundleNotListingThisMember_refuses() throws Exception {
    FleetArtifact a =
        FleetArtifact.parse(Files.readAllBytes(fleet.ceremony.resolve("fleet-artifact.json")));
    List<FleetMember> without = new ArrayList<>(a.members().subList(0, 2));
    FleetArtifact other =
        new FleetArtifact(
            a.namespace(),
            a.fleetId(),
            2,
            2,
            without,
            a.notBefore(),
            a.notAfter(),
            a.evidenceDigest());
    Path art = fleet.dir.resolve("artifact-without-dc3.json");
    Files.write(art, other.toCanonicalJson());
    Path out = fleet.dc(3).resolve("bundle-without-dc3.json");
    CliRun p =
        CliRun.run(
            "",
            "bundle",
            "publish",
            "--signer",
            fleet.signerUrl,
            "--artifact",
            art.toString(),
            "--operator-config",
            fleet.operatorConfig.toString(),
            "--trust",
            fleet.trust.toString(),
            "--out",
            out.toString());
    assertThat(p.exit()).as(p.toString()).isZero();
    assertStartRefused(
        3, "bundle-without-dc3.json", "trust.json", "does not list this member (dc3)");
  }

  @Test
  void start_bundleSignedByAnotherSigner_refuses() throws Exception {
    // a trust file pinning another (real) signer's key: the operator's bundle does not verify
    // against it
    Path op = fleet.operatorConfig.getParent();
    Path yaml = op.resolve("other-signer.yaml");
    Files.writeString(
        yaml,
        "listen: {host: 127.0.0.1, port: 0}\ndata_dir: other-signer-data\n"
            + "origin: test.fleetvault.dev/signer\nnamespaces: [fleetvault.fleet_keys.v1]\nkey_label: other.ed25519\n"
            + "hsm:\n"
            + CeremonyFleet.hsm("other-signer.softkeys", "signer.pass")
            + "operator:\n  public_key_file: operator.pub.pem\n");
    io.vertx.core.Vertx v = io.vertx.core.Vertx.vertx();
    try {
      var other =
          dev.fleetvault.signer.SignerServer.startBlocking(
              v, dev.fleetvault.signer.SignerConfig.load(yaml));
      CliRun t =
          CliRun.run(
              "",
              "bundle",
              "trust",
              "--signer",
              "http://127.0.0.1:" + other.port(),
              "--operator-pub",
              op.resolve("operator.pub.pem").toString(),
              "--out",
              fleet.dc(1).resolve("other-trust.json").toString());
      assertThat(t.exit()).as(t.toString()).isZero();
      other.close().toCompletionStage().toCompletableFuture().get();
    } finally {
      v.close().toCompletionStage().toCompletableFuture().get();
    }
    assertStartRefused(
        1,
        "fleet-bundle.json",
        "other-trust.json",
        "does not verify against other-trust.json",
        "SIGNER_SIGNATURE");
  }

  @Test
  void start_bundleNotInTheLog_refuses() throws Exception {
    Bundle b = Bundle.parse(Files.readAllBytes(fleet.bundle));
    byte[] fake = new byte[32];
    new java.security.SecureRandom().nextBytes(fake);
    // the signer's and operator's signatures are genuine, but the proof does not put the entry in
    // the log
    List<byte[]> proof = new ArrayList<>(b.inclusionProof());
    if (proof.isEmpty()) {
      proof.add(fake);
    } else {
      proof.set(0, fake);
    }
    Bundle notInLog =
        new Bundle(
            b.artifact(),
            b.message(),
            b.signerSignature(),
            b.operatorSignature(),
            b.logIndex(),
            proof,
            b.checkpoint());
    Files.write(fleet.dc(2).resolve("bundle-not-in-log.json"), notInLog.toJson());
    assertStartRefused(
        2,
        "bundle-not-in-log.json",
        "trust.json",
        "does not verify against trust.json",
        "INCLUSION_PROOF");
  }

  @Test
  void start_hsmKeysDifferFromArtifact_refuses() throws Exception {
    // dc1's configuration on another HSM holding keys labelled for dc1 that the ceremony never saw
    Path elsewhere = fleet.dc(1).resolve("other-hsm");
    Files.createDirectories(elsewhere);
    NodeConfig cfg = NodeConfig.load(withOwnPorts(1, Files.readString(fleet.config(1))), elsewhere);
    try (var driver =
        dev.fleetvault.gateway.driver.DriverOpener.open(cfg, cfg.node("dc1").orElseThrow())) {
      dev.fleetvault.gateway.member.MemberKeys.ensure(driver, "dc1");
    }
    assertThatThrownBy(() -> FleetvaultNode.startBlocking(cfg, "dc1"))
        .hasStackTraceContaining(
            "member dc1: the signing key in the fleet artifact is not the signing key in this "
                + "node's HSM");
  }

  @Test
  void start_hsmWithoutTheMembersKeys_refusesAndGeneratesNone() throws Exception {
    Path empty = fleet.dc(2).resolve("empty-hsm");
    Files.createDirectories(empty);
    NodeConfig cfg = NodeConfig.load(withOwnPorts(2, Files.readString(fleet.config(2))), empty);
    assertThatThrownBy(() -> FleetvaultNode.startBlocking(cfg, "dc2"))
        .hasStackTraceContaining("member dc2: no key fleetvault.dc2.hpke in this node's HSM");
    try (var driver =
        dev.fleetvault.gateway.driver.DriverOpener.open(cfg, cfg.node("dc2").orElseThrow())) {
      assertThat(driver.findKey("fleetvault.dc2.sign")).isEmpty();
    }
  }

  @Test
  void peerPorts_validCertificateNotInArtifact_refusedOnPeerAndQuorumPorts() throws Exception {
    NodeConfig cfg = NodeConfig.load(fleet.config(1));
    MemberSpec dc1 = cfg.member("dc1").orElseThrow();
    // an impostor: a fresh, well-formed certificate naming dc2 and 127.0.0.1, like a ceremony's
    MemberSpec dc2 = cfg.member("dc2").orElseThrow();
    Path impostorDir = fleet.dir.resolve("impostor");
    NodeSpec fake =
        new NodeSpec(
            "dc2",
            impostorDir,
            cfg.nodes().get(0).hsm(),
            dev.fleetvault.gateway.config.PeerTlsSpec.GENERATED);
    X509Certificate impostorCert = PeerIdentity.ensure(fake, dc2);
    PrivateKey impostorKey =
        PeerIdentity.readPrivateKey(impostorDir.resolve(PeerIdentity.KEY_FILE));
    // dc2's real identity, for the control
    Path realKey = fleet.dc(2).resolve("data/dc2/" + PeerIdentity.KEY_FILE);
    X509Certificate realCert =
        PeerIdentity.readCertificate(
            Files.readAllBytes(fleet.dc(2).resolve("data/dc2/" + PeerIdentity.CERT_FILE)));
    for (HostPort port : List.of(dc1.peer(), dc1.raft(), dc1.cluster())) {
      assertThat(accepted(port, PeerIdentity.readPrivateKey(realKey), realCert))
          .as("dc2's artifact certificate at dc1 " + port)
          .isTrue();
      assertThat(accepted(port, impostorKey, impostorCert))
          .as("a valid certificate that the artifact does not list, at dc1 " + port)
          .isFalse();
    }
  }

  /**
   * Starts data center {@code dc}'s node on a copy of its HSM and data (the running node holds the
   * originals) with another bundle or trust file, and expects it to refuse naming {@code messages}.
   */
  /**
   * {@code text} (member {@code dc}'s configuration) written beside dc's own, with dc's four ports
   * moved to free ones: the running member keeps its ports, and a taken port would be refused
   * first, before the bundle or the HSM is looked at.
   */
  private Path withOwnPorts(int dc, String text) throws Exception {
    int own = fleet.base + dc * 4;
    int free = Ports.freeBlock(4);
    for (int k = 0; k < 4; k++) {
      text = text.replace("127.0.0.1:" + (own + k) + "\n", "127.0.0.1:" + (free + k) + "\n");
    }
    Path f = fleet.dc(dc).resolve("own-ports-" + System.nanoTime() + ".yaml");
    Files.writeString(f, text);
    return f;
  }

  private void assertStartRefused(int dc, String bundleFile, String trustFile, String... messages)
      throws Exception {
    long n = System.nanoTime();
    Path cfgFile = fleet.dc(dc).resolve("refused-" + n + ".yaml");
    Files.writeString(
        cfgFile, Files.readString(withOwnPorts(dc, fleet.configText(dc, bundleFile, trustFile))));
    Path copy = fleet.dc(dc).resolve("copy-" + n);
    Files.createDirectories(copy.resolve("dc" + dc));
    for (String f : List.of("soft-hsm.keys", PeerIdentity.KEY_FILE, PeerIdentity.CERT_FILE)) {
      Files.copy(
          fleet.dc(dc).resolve("data/dc" + dc).resolve(f), copy.resolve("dc" + dc).resolve(f));
    }
    NodeConfig cfg = NodeConfig.load(cfgFile, copy);
    var t = assertThatThrownBy(() -> FleetvaultNode.startBlocking(cfg, "dc" + dc));
    for (String m : messages) {
      t.hasStackTraceContaining(m);
    }
  }

  /**
   * True if a TLS client presenting {@code cert} completes the handshake at {@code port} and the
   * server does not refuse the certificate (a read times out, or the server later closes the
   * connection for its own protocol's reasons with an orderly close); false if the server refuses
   * it (a TLS alert, or an aborted connection).
   */
  private static boolean accepted(HostPort port, PrivateKey key, X509Certificate cert)
      throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] pass = "probe".toCharArray();
    ks.setKeyEntry("me", key, pass, new X509Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pass);
    X509TrustManager any =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] c, String a) {}

          @Override
          public void checkServerTrusted(X509Certificate[] c, String a) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(kmf.getKeyManagers(), new TrustManager[] {any}, null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(port.host(), port.port())) {
      s.setSoTimeout(3000);
      s.startHandshake();
      InputStream in = s.getInputStream();
      in.read();
      return true;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (javax.net.ssl.SSLException | java.net.SocketException e) {
      return false; // a TLS alert, or the server aborted the connection (reset, broken pipe)
    }
  }
}
