package dev.fleetvault.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetvault.gateway.config.HostPort;
import dev.fleetvault.gateway.config.LimitsSpec;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connection hygiene of the edge listener ({@link EdgeVerticle#serverOptions}): a real Vert.x HTTP
 * server on 127.0.0.1 with the edge's options, probed with raw sockets.
 */
class EdgeConnectionHygieneTest {
  private Vertx vertx;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private int listen(int idleTimeoutMs) throws Exception {
    LimitsSpec d = LimitsSpec.DEFAULTS;
    LimitsSpec limits =
        new LimitsSpec(
            d.maxMessageBytes(),
            d.perUserPerMinute(),
            d.perAddressPerMinute(),
            d.requestTimeoutMs(),
            idleTimeoutMs,
            d.maxConcurrentStreams());
    return vertx
        .createHttpServer(EdgeVerticle.serverOptions(new HostPort("127.0.0.1", 0), 65536, limits))
        .requestHandler(req -> req.response().end("ok"))
        .listen()
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS)
        .actualPort();
  }

  private Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(200);
    sockets.add(s);
    return s;
  }

  /** True once the server closed the socket (end of stream or reset after any bytes it sent). */
  private static boolean closedByServer(Socket s) {
    try {
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      while (true) {
        if (in.read(buf) == -1) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** 50 half-sent requests cannot hold the edge: every one is closed once idle past the timeout. */
  @Test
  void serverOptions_halfSentRequests_closedAfterIdleTimeout() throws Exception {
    int port = listen(1000);
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Socket s = connect(port);
      s.getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      slow.add(s);
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> slow.stream().allMatch(EdgeConnectionHygieneTest::closedByServer));
    Socket ok = connect(port);
    ok.setSoTimeout(10_000);
    ok.getOutputStream()
        .write(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(ok.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
        .startsWith("HTTP/1.1 200");
  }

  /** A socket that never sends a byte is closed after the idle timeout. */
  @Test
  void serverOptions_silentConnection_closedAfterIdleTimeout() throws Exception {
    int port = listen(1000);
    Socket idle = connect(port);

    await().atMost(Duration.ofSeconds(30)).until(() -> closedByServer(idle));
  }

  /**
   * More connections from one address than {@code max_connections_per_address} (here 3): the extra
   * ones are closed at once, the ones already open still serve requests, and a place freed is taken
   * again.
   */
  @Test
  void createServer_moreConnectionsFromOneAddressThanTheLimit_extraClosedExistingStillServe()
      throws Exception {
    LimitsSpec d = LimitsSpec.DEFAULTS;
    LimitsSpec limits =
        new LimitsSpec(
            d.maxMessageBytes(),
            d.perUserPerMinute(),
            d.perAddressPerMinute(),
            d.requestTimeoutMs(),
            30_000,
            d.maxConcurrentStreams(),
            3);
    int port =
        EdgeVerticle.createServer(vertx, new HostPort("127.0.0.1", 0), 65536, limits)
            .requestHandler(req -> req.response().end("ok"))
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS)
            .actualPort();
    List<Socket> kept = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Socket s = connect(port);
      assertThat(get(s)).as("connection %d within the limit", i + 1).startsWith("HTTP/1.1 200");
      kept.add(s);
    }
    // the edge tells HTTP/1.1 from h2c by the first bytes, so a connection is counted once it sends
    // (a silent one is the idle timeout's, above)
    for (int i = 0; i < 5; i++) {
      Socket s = connect(port);
      assertThat(get(s)).as("extra connection %d", i + 1).doesNotContain("200");
      assertThat(closedByServer(s)).isTrue();
    }
    for (Socket s : kept) {
      assertThat(get(s)).as("an existing connection still works").startsWith("HTTP/1.1 200");
    }
    kept.get(0).close();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Socket again = connect(port);
              assertThat(get(again)).startsWith("HTTP/1.1 200");
            });
  }

  /**
   * One keep-alive GET on {@code s}; the status line and headers read (empty if the server closed).
   */
  private static String get(Socket s) throws IOException {
    s.setSoTimeout(10_000);
    s.getOutputStream()
        .write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    byte[] buf = new byte[4096];
    StringBuilder out = new StringBuilder();
    try {
      InputStream in = s.getInputStream();
      while (!out.toString().endsWith("ok")) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        out.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
      }
    } catch (IOException e) {
      return out.toString();
    }
    return out.toString();
  }

  @Test
  void defaults_idleTimeoutAndStreams_bounded() {
    assertThat(LimitsSpec.DEFAULTS.idleTimeoutMs()).isBetween(1_000, 120_000);
    assertThat(LimitsSpec.DEFAULTS.maxConnectionsPerAddress()).isBetween(8, 1024);
    assertThat(
            EdgeVerticle.serverOptions(new HostPort("127.0.0.1", 0), 65536, LimitsSpec.DEFAULTS)
                .getInitialSettings()
                .getMaxConcurrentStreams())
        .isEqualTo(LimitsSpec.DEFAULTS.maxConcurrentStreams());
  }
}
