package dev.fleetvault.gateway.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.config.HostPort;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.protocol.wire.MemberGrpcClient;
import dev.fleetvault.protocol.wire.MemberRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: the edge's peer client checks that a member's certificate names the host it is
 * configured at - a valid fleet certificate issued for another host name is refused before any
 * request is sent (a stolen or misissued member certificate cannot impersonate another address).
 */
@Timeout(60)
class PeerHostVerificationTest {
  @TempDir Path dir;
  private Vertx vertx;

  @BeforeEach
  void up() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void down() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Property: a peer presenting a fleet certificate for another host name is refused. */
  @Test
  void call_peerCertForAnotherHostName_refusedBeforeAnyRequest() throws Exception {
    Path pki = dir.resolve("pki");
    DevPki.Material me = DevPki.ensure(pki, "dc1", List.of("127.0.0.1"));
    DevPki.Material wrongHost = DevPki.ensure(pki, "dc2", List.of("other.example"));
    DevPki.Material rightHost = DevPki.ensure(pki, "dc3", List.of("127.0.0.1"));
    AtomicInteger wrongSeen = new AtomicInteger();
    AtomicInteger rightSeen = new AtomicInteger();
    int wrongPort = server(wrongHost, wrongSeen);
    int rightPort = server(rightHost, rightSeen);
    List<MemberSpec> members =
        List.of(member("dc1", 1), member("dc2", wrongPort), member("dc3", rightPort));
    try (PeerClients peers = new PeerClients(vertx, me, members, 1 << 20)) {
      Throwable refused =
          peers
              .call(2, MemberGrpcClient.Register1, MemberRequest.getDefaultInstance(), null, 3000)
              .toCompletionStage()
              .toCompletableFuture()
              .handle((r, e) -> e)
              .get(30, TimeUnit.SECONDS);
      assertThat(refused).as("call to a peer with another host's certificate").isNotNull();
      assertThat(wrongSeen.get()).as("requests that reached the wrong-host peer").isZero();
      // control: the same fleet CA, the right host: the request reaches the peer
      peers
          .call(3, MemberGrpcClient.Register1, MemberRequest.getDefaultInstance(), null, 3000)
          .toCompletionStage()
          .toCompletableFuture()
          .handle((r, e) -> e)
          .get(30, TimeUnit.SECONDS);
      assertThat(rightSeen.get()).as("requests that reached the right-host peer").isEqualTo(1);
    }
  }

  /** Property: the development PKI writes private keys owner-only. */
  @Test
  void ensure_devPki_keysOwnerOnly() throws Exception {
    DevPki.Material m = DevPki.ensure(dir.resolve("pki"), "dc1", List.of("127.0.0.1"));
    assertThat(Files.getPosixFilePermissions(m.key()))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
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

  private int server(DevPki.Material tls, AtomicInteger seen) throws Exception {
    HttpServer s =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setSsl(true)
                    .setUseAlpn(true)
                    .setClientAuth(ClientAuth.REQUIRED)
                    .setKeyCertOptions(
                        new PemKeyCertOptions()
                            .setCertPath(tls.cert().toString())
                            .setKeyPath(tls.key().toString()))
                    .setTrustOptions(new PemTrustOptions().addCertPath(tls.caCert().toString())))
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
