package dev.fleetvault.gateway.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.config.HostPort;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeSpec;
import dev.fleetvault.gateway.config.PeerTlsSpec;
import dev.fleetvault.protocol.wire.MemberGrpcClient;
import dev.fleetvault.protocol.wire.MemberRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: with the fleet artifact's certificates pinned, the peer service accepts exactly the
 * artifact's member certificates: a calling edge accepts a server only if it presents the
 * certificate of the member configured at the address called (another member's genuine certificate
 * is refused), and a server refuses a caller whose valid certificate the artifact does not list.
 * Both are refused during the TLS handshake, before any request reaches the handler.
 */
@Timeout(60)
class PinnedPeerTrustTest {
  @TempDir Path dir;
  private Vertx vertx;
  private final Map<String, X509Certificate> artifact = new LinkedHashMap<>();
  private final Map<String, PrivateKey> keys = new LinkedHashMap<>();

  @BeforeEach
  void up() throws Exception {
    vertx = Vertx.vertx();
    for (String id : List.of("dc1", "dc2", "dc3", "impostor")) {
      NodeSpec n = new NodeSpec(id, dir.resolve(id), null, PeerTlsSpec.GENERATED);
      X509Certificate c = PeerIdentity.ensure(n, member(id.equals("impostor") ? "dc1" : id, 1));
      keys.put(id, PeerIdentity.readPrivateKey(dir.resolve(id).resolve(PeerIdentity.KEY_FILE)));
      if (!id.equals("impostor")) {
        artifact.put(id, c);
      }
    }
  }

  @AfterEach
  void down() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Property: the ceremony's private key is written owner-only, beside its certificate. */
  @Test
  void ensure_ceremonyIdentity_keyOwnerOnlyAndCertificateNamesHostsAndMember() throws Exception {
    assertThat(Files.getPosixFilePermissions(dir.resolve("dc1").resolve(PeerIdentity.KEY_FILE)))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(artifact.get("dc1").getSubjectAlternativeNames())
        .extracting(san -> String.valueOf(san.get(1)))
        .containsExactlyInAnyOrder("127.0.0.1", "dc1");
    // a second ceremony run on the same host reuses the identity
    X509Certificate again =
        PeerIdentity.ensure(
            new NodeSpec("dc1", dir.resolve("dc1"), null, PeerTlsSpec.GENERATED), member("dc1", 1));
    assertThat(again).isEqualTo(artifact.get("dc1"));
  }

  /** Property: a server presenting another member's genuine certificate is refused. */
  @Test
  void call_serverPresentsAnotherMembersArtifactCertificate_refusedBeforeAnyRequest()
      throws Exception {
    AtomicInteger fakeSeen = new AtomicInteger();
    AtomicInteger realSeen = new AtomicInteger();
    int fakeDc2 = server(trust("dc3"), fakeSeen); // dc3's certificate at dc2's address
    int realDc3 = server(trust("dc3"), realSeen);
    List<MemberSpec> members =
        List.of(member("dc1", 1), member("dc2", fakeDc2), member("dc3", realDc3));
    try (PeerClients peers = new PeerClients(vertx, trust("dc1"), members, 1 << 20)) {
      Throwable refused = call(peers, 2);
      assertThat(refused).as("call to dc2's address answered with dc3's certificate").isNotNull();
      assertThat(fakeSeen.get()).as("requests that reached the server at dc2's address").isZero();
      call(peers, 3);
      assertThat(realSeen.get()).as("requests that reached dc3 (control)").isEqualTo(1);
    }
  }

  /** Property: a caller whose valid certificate is not in the artifact is refused. */
  @Test
  void accept_callerCertificateNotInArtifact_refusedBeforeAnyRequest() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    int dc2 = server(trust("dc2"), seen);
    List<MemberSpec> members = List.of(member("dc1", 1), member("dc2", dc2), member("dc3", 3));
    // the impostor trusts the real dc2 (so only the server's check can stop it) and presents a
    // well-formed self-signed certificate for dc1's name and host
    Map<String, X509Certificate> impostorView = new LinkedHashMap<>(artifact);
    impostorView.put(
        "dc1",
        PeerIdentity.readCertificate(
            Files.readAllBytes(dir.resolve("impostor").resolve(PeerIdentity.CERT_FILE))));
    PinnedPeerTrust impostor = new PinnedPeerTrust(keys.get("impostor"), "dc1", impostorView);
    try (PeerClients peers = new PeerClients(vertx, impostor, members, 1 << 20)) {
      assertThat(call(peers, 2)).as("impostor's call").isNotNull();
      assertThat(seen.get()).as("impostor requests that reached dc2").isZero();
    }
    try (PeerClients peers = new PeerClients(vertx, trust("dc1"), members, 1 << 20)) {
      call(peers, 2);
      assertThat(seen.get()).as("dc1's requests that reached dc2 (control)").isEqualTo(1);
    }
  }

  private PinnedPeerTrust trust(String self) throws Exception {
    return new PinnedPeerTrust(keys.get(self), self, artifact);
  }

  private static Throwable call(PeerClients peers, int index) throws Exception {
    return peers
        .call(index, MemberGrpcClient.Register1, MemberRequest.getDefaultInstance(), null, 3000)
        .toCompletionStage()
        .toCompletableFuture()
        .handle((r, e) -> e)
        .get(30, TimeUnit.SECONDS);
  }

  private static MemberSpec member(String id, int peerPort) {
    return new MemberSpec(
        id,
        id,
        new HostPort("127.0.0.1", 1),
        new HostPort("127.0.0.1", peerPort),
        new HostPort("127.0.0.1", 2),
        new HostPort("127.0.0.1", 3));
  }

  private int server(PeerTrust tls, AtomicInteger seen) throws Exception {
    HttpServer s =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setSsl(true)
                    .setUseAlpn(true)
                    .setClientAuth(ClientAuth.REQUIRED)
                    .setKeyCertOptions(tls.keyCert())
                    .setTrustOptions(tls.serverTrust()))
            .requestHandler(
                req -> {
                  seen.incrementAndGet();
                  req.response()
                      .putHeader("content-type", "application/grpc")
                      .putTrailer("grpc-status", "12")
                      .end();
                });
    return s.listen()
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS)
        .actualPort();
  }
}
