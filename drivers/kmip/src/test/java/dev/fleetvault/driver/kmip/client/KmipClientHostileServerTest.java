package dev.fleetvault.driver.kmip.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.kmip.testing.TestPki;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.Operation;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.QueryFunction;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ResultStatus;
import dev.fleetvault.driver.kmip.ttlv.Tag;
import dev.fleetvault.driver.kmip.ttlv.Ttlv;
import dev.fleetvault.driver.kmip.ttlv.TtlvDecoder;
import dev.fleetvault.driver.kmip.ttlv.TtlvEncoder;
import dev.fleetvault.driver.kmip.ttlv.TtlvLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against a deliberately broken KMIP peer (an in-test TLS server with mutual
 * authentication): answers that a real server never sends must become clear, classified errors,
 * never hangs or wrong results. The well-behaved path is covered against PyKMIP.
 */
class KmipClientHostileServerTest {
  private static Path dir;
  private static SSLContext serverCtx;
  private static SSLContext clientCtx;
  private FakeServer server;
  private static final ExecutorService POOL = Executors.newCachedThreadPool();

  @BeforeAll
  static void pki() throws Exception {
    Path base = Path.of(System.getProperty("fleetvault.buildDir", "target"));
    dir = Files.createTempDirectory(Files.createDirectories(base), "hostile-");
    TestPki pki = TestPki.create("hostile CA");
    pki.writeCa(dir.resolve("ca.crt"));
    pki.issueServer("127.0.0.1", dir.resolve("s.crt"), dir.resolve("s.key"));
    pki.issueClient("client", true, dir.resolve("c.crt"), dir.resolve("c.key"));
    serverCtx = KmipTls.fromPem(dir.resolve("s.crt"), dir.resolve("s.key"), dir.resolve("ca.crt"));
    clientCtx = KmipTls.fromPem(dir.resolve("c.crt"), dir.resolve("c.key"), dir.resolve("ca.crt"));
  }

  @AfterAll
  static void stopPool() {
    POOL.shutdownNow();
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** Answers DiscoverVersions with 1.4, then every other request with {@code behaviour}. */
  private final class FakeServer implements AutoCloseable {
    final SSLServerSocket socket;
    final CountDownLatch requestSeen = new CountDownLatch(1);
    volatile boolean closeAfterAnswer;

    FakeServer(Function<Ttlv, byte[]> behaviour) throws IOException {
      socket =
          (SSLServerSocket)
              serverCtx
                  .getServerSocketFactory()
                  .createServerSocket(0, 8, InetAddress.getLoopbackAddress());
      socket.setNeedClientAuth(true);
      POOL.submit(
          () -> {
            while (!socket.isClosed()) {
              Socket s = socket.accept();
              POOL.submit(() -> serve(s, behaviour));
            }
            return null;
          });
    }

    private Void serve(Socket s, Function<Ttlv, byte[]> behaviour) {
      try (s;
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream()) {
        while (true) {
          Ttlv req = TtlvDecoder.readMessage(in, TtlvLimits.DEFAULT);
          Ttlv item = req.require(Tag.BATCH_ITEM);
          byte[] answer;
          if (item.require(Tag.OPERATION).asEnum() == Operation.DISCOVER_VERSIONS.code()) {
            answer =
                TtlvEncoder.encode(
                    response(
                        item,
                        Operation.DISCOVER_VERSIONS,
                        Ttlv.structure(Tag.RESPONSE_PAYLOAD, ProtocolVersion.V1_4.toTtlv())));
          } else {
            requestSeen.countDown();
            answer = behaviour.apply(item);
          }
          if (answer == null) {
            Thread.sleep(60_000); // never answer
            return null;
          }
          out.write(answer);
          out.flush();
          if (closeAfterAnswer && requestSeen.getCount() == 0) {
            return null;
          }
        }
      } catch (Exception e) {
        return null;
      }
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static Ttlv response(Ttlv requestItem, Operation op, Ttlv payload) {
    try {
      return Ttlv.structure(
          Tag.RESPONSE_MESSAGE,
          Ttlv.structure(
              Tag.RESPONSE_HEADER,
              ProtocolVersion.V1_4.toTtlv(),
              Ttlv.dateTime(Tag.TIME_STAMP, 0),
              Ttlv.integer(Tag.BATCH_COUNT, 1)),
          Ttlv.structure(
              Tag.BATCH_ITEM,
              Ttlv.enumeration(Tag.OPERATION, op.code()),
              requestItem.require(Tag.UNIQUE_BATCH_ITEM_ID),
              Ttlv.enumeration(Tag.RESULT_STATUS, ResultStatus.SUCCESS.code()),
              payload));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private KmipClient connect(
      Function<Ttlv, byte[]> behaviour, int maxConnections, Duration operationTimeout)
      throws Exception {
    server = new FakeServer(behaviour);
    return KmipClient.connect(
        KmipClientConfig.builder("127.0.0.1", server.port(), clientCtx)
            .maxConnections(maxConnections)
            .operationTimeout(operationTimeout)
            .borrowTimeout(Duration.ofMillis(200))
            .limits(new TtlvLimits(64 * 1024, 16, 1000))
            .build());
  }

  private static void assertKind(KmipClient c, KmipException.Kind kind) {
    assertThatThrownBy(() -> c.query(QueryFunction.QUERY_OPERATIONS))
        .isInstanceOfSatisfying(
            KmipException.class, e -> assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind));
  }

  @Test
  void query_oversizedDeclaredLength_protocolErrorWithoutReadingIt() throws Exception {
    try (KmipClient c =
        connect(
            item ->
                new byte[] {0x42, 0x00, 0x7B, 0x01, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xF8},
            1,
            Duration.ofSeconds(10))) {
      assertKind(c, KmipException.Kind.PROTOCOL);
      assertThat(c.openConnections()).as("the poisoned connection is discarded").isZero();
    }
  }

  @Test
  void query_truncatedAnswerThenClose_retryableTransportError() throws Exception {
    try (KmipClient c =
        connect(
            item -> {
              byte[] full =
                  TtlvEncoder.encode(
                      response(item, Operation.QUERY, Ttlv.structure(Tag.RESPONSE_PAYLOAD)));
              return java.util.Arrays.copyOf(full, full.length / 2);
            },
            1,
            Duration.ofSeconds(10))) {
      server.closeAfterAnswer = true; // half a message, then the connection closes
      assertThatThrownBy(() -> c.query(QueryFunction.QUERY_OPERATIONS))
          .isInstanceOfSatisfying(
              KmipException.class,
              e -> {
                assertThat(e.kind()).as(e.getMessage()).isEqualTo(KmipException.Kind.TRANSPORT);
                assertThat(e.isRetryable()).isTrue();
              });
      assertThat(c.openConnections()).isZero();
    }
  }

  @Test
  void query_noAnswer_timeoutRetryable() throws Exception {
    try (KmipClient c = connect(item -> null, 1, Duration.ofMillis(300))) {
      assertThatThrownBy(() -> c.query(QueryFunction.QUERY_OPERATIONS))
          .isInstanceOfSatisfying(
              KmipException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(KmipException.Kind.TIMEOUT);
                assertThat(e.isRetryable()).isTrue();
              });
    }
  }

  @Test
  void query_wrongBatchItemId_protocolError() throws Exception {
    try (KmipClient c =
        connect(
            item ->
                TtlvEncoder.encode(
                    Ttlv.structure(
                        Tag.RESPONSE_MESSAGE,
                        Ttlv.structure(
                            Tag.RESPONSE_HEADER,
                            ProtocolVersion.V1_4.toTtlv(),
                            Ttlv.integer(Tag.BATCH_COUNT, 1)),
                        Ttlv.structure(
                            Tag.BATCH_ITEM,
                            Ttlv.enumeration(Tag.OPERATION, Operation.QUERY.code()),
                            Ttlv.bytes(Tag.UNIQUE_BATCH_ITEM_ID, new byte[] {9, 9, 9, 9}),
                            Ttlv.enumeration(Tag.RESULT_STATUS, 0),
                            Ttlv.structure(Tag.RESPONSE_PAYLOAD)))),
            1,
            Duration.ofSeconds(10))) {
      assertKind(c, KmipException.Kind.PROTOCOL);
    }
  }

  @Test
  void query_answerForOtherOperation_protocolError() throws Exception {
    try (KmipClient c =
        connect(
            item ->
                TtlvEncoder.encode(
                    response(item, Operation.DESTROY, Ttlv.structure(Tag.RESPONSE_PAYLOAD))),
            1,
            Duration.ofSeconds(10))) {
      assertKind(c, KmipException.Kind.PROTOCOL);
    }
  }

  @Test
  void query_requestMessageEchoed_protocolError() throws Exception {
    try (KmipClient c =
        connect(
            item ->
                TtlvEncoder.encode(
                    Ttlv.structure(Tag.REQUEST_MESSAGE, Ttlv.integer(Tag.BATCH_COUNT, 0))),
            1,
            Duration.ofSeconds(10))) {
      assertKind(c, KmipException.Kind.PROTOCOL);
    }
  }

  @Test
  void query_pendingStatus_protocolError() throws Exception {
    try (KmipClient c =
        connect(
            item -> {
              try {
                return TtlvEncoder.encode(
                    Ttlv.structure(
                        Tag.RESPONSE_MESSAGE,
                        Ttlv.structure(
                            Tag.RESPONSE_HEADER,
                            ProtocolVersion.V1_4.toTtlv(),
                            Ttlv.integer(Tag.BATCH_COUNT, 1)),
                        Ttlv.structure(
                            Tag.BATCH_ITEM,
                            Ttlv.enumeration(Tag.OPERATION, Operation.QUERY.code()),
                            item.require(Tag.UNIQUE_BATCH_ITEM_ID),
                            Ttlv.enumeration(
                                Tag.RESULT_STATUS, ResultStatus.OPERATION_PENDING.code()))));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            1,
            Duration.ofSeconds(10))) {
      assertKind(c, KmipException.Kind.PROTOCOL);
    }
  }

  @Test
  void query_allConnectionsBusy_busyAfterBorrowTimeout() throws Exception {
    try (KmipClient c = connect(item -> null, 1, Duration.ofSeconds(20))) {
      Future<?> stuck = POOL.submit(() -> c.query(QueryFunction.QUERY_OPERATIONS));
      assertThat(server.requestSeen.await(10, TimeUnit.SECONDS))
          .isTrue(); // the only connection is now taken
      assertThatThrownBy(() -> c.query(QueryFunction.QUERY_OPERATIONS))
          .isInstanceOfSatisfying(
              KmipException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(KmipException.Kind.BUSY);
                assertThat(e.isRetryable()).isTrue();
              });
      stuck.cancel(true);
    }
  }

  @Test
  void connect_serverOffersNoCommonVersion_protocolError() throws Exception {
    server = new FakeServer(item -> null);
    var cfg =
        KmipClientConfig.builder("127.0.0.1", server.port(), clientCtx)
            .versions(List.of(new ProtocolVersion(2, 0)))
            .build();
    // the fake server answers 1.4 whatever is offered
    assertThatThrownBy(() -> KmipClient.connect(cfg))
        .isInstanceOfSatisfying(
            KmipException.class,
            e -> assertThat(e.getMessage()).contains("supports none of the versions"));
  }
}
