package dev.fleetvault.signer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The signer API's per-address connection limit, on 127.0.0.1 with raw sockets. */
class SignerConnectionLimitTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void limitConnections_moreThanTheLimitFromOneAddress_extraClosedExistingStillServe()
      throws Exception {
    int port =
        SignerServer.limitConnections(
                vertx.createHttpServer(SignerServer.listenerOptions("127.0.0.1", 0)),
                SignerServer.MAX_CONNECTIONS_PER_ADDRESS)
            .requestHandler(req -> req.response().end("ok"))
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS)
            .actualPort();
    List<Socket> kept = new ArrayList<>();
    for (int i = 0; i < SignerServer.MAX_CONNECTIONS_PER_ADDRESS; i++) {
      Socket s = connect(port);
      assertThat(get(s)).startsWith("HTTP/1.1 200");
      kept.add(s);
    }
    for (int i = 0; i < 3; i++) {
      Socket extra = connect(port);
      assertThat(get(extra)).as("connection beyond the limit").doesNotContain("200");
    }
    assertThat(get(kept.get(0)))
        .as("an existing connection still works")
        .startsWith("HTTP/1.1 200");
  }

  private Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(10_000);
    sockets.add(s);
    return s;
  }

  private static String get(Socket s) throws IOException {
    s.getOutputStream()
        .write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    StringBuilder out = new StringBuilder();
    byte[] buf = new byte[4096];
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
}
