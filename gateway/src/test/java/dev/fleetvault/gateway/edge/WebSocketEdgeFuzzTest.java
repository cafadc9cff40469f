package dev.fleetvault.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fleetvault.gateway.auth.RateLimiter;
import dev.fleetvault.gateway.auth.TokenVerifier;
import dev.fleetvault.gateway.auth.VerifiedTokens;
import dev.fleetvault.gateway.config.AppSpec;
import dev.fleetvault.gateway.config.HostPort;
import dev.fleetvault.gateway.config.LimitsSpec;
import dev.fleetvault.gateway.crypto.CryptoExecutor;
import dev.fleetvault.gateway.http.NodeMetrics;
import dev.fleetvault.protocol.wire.StatusResponse;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WsRequest;
import dev.fleetvault.protocol.wire.WsResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target: the gateway's WebSocket edge ({@link WebSocketEdge}) decoding frames from a real
 * connection: ws.proto {@code WsRequest} framing, the frame checks, method dispatch and the body
 * decode, on a real Vert.x server with the edge's server options.
 *
 * <p>Input: byte 0's low bit picks a binary (0) or text (1) frame, the rest is the frame. Property:
 * every frame gets exactly one answer within 30 s, on the same open connection; the answer is a
 * {@code WsResponse} that passes {@link WireCodec} (frame version 1); a frame that decodes as a
 * {@code WsRequest} is answered with its id (the edge never answers for another request), a text
 * frame or undecodable frame with id 0 and an error. No token can verify here (the app's key is a
 * fresh key whose private half is discarded), so no request reaches the members.
 */
class WebSocketEdgeFuzzTest {
  static final int MAX_MESSAGE = 65536;
  static Vertx vertx;
  static CryptoExecutor crypto;
  static WebSocket socket;
  static io.vertx.core.http.WebSocketClient client;
  static int serverPort;
  static final BlockingQueue<Buffer> answers = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    crypto = new CryptoExecutor(vertx, "fleetvault-crypto-ws-fuzz", 1);
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    TokenVerifier tokens =
        new TokenVerifier(
            vertx,
            List.of(new AppSpec("dev-app", List.of(), List.of(pem), "test-fleet", 3600)),
            crypto,
            new VerifiedTokens(16));
    EdgeService edge =
        new EdgeService(
            tokens,
            new RateLimiter(1_000_000, 1000),
            new RateLimiter(1_000_000, 1000),
            null,
            null,
            2,
            MAX_MESSAGE,
            5000);
    StatusSource status =
        epoch ->
            Future.succeededFuture(
                StatusResponse.newBuilder().setVersion(1).setSuite(1).setMembers(3).build());
    WebSocketEdge ws = new WebSocketEdge(edge, status, new NodeMetrics("fuzz"), MAX_MESSAGE);
    int port =
        vertx
            .createHttpServer(
                EdgeVerticle.serverOptions(
                    new HostPort("127.0.0.1", 0), MAX_MESSAGE, LimitsSpec.DEFAULTS))
            .requestHandler(req -> req.toWebSocket().onSuccess(ws::serve))
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS)
            .actualPort();
    serverPort = port;
    client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    connect();
  }

  /**
   * (Re)connects. The first handshake loads (and, when fuzzing, instruments) most of Vert.x and may
   * take longer than the client waits on a loaded machine, so it is tried a few times; and a
   * connection left idle past the edge's idle timeout (between corpus inputs) is closed by design.
   */
  static void connect() throws Exception {
    socket = null;
    for (int attempt = 1; socket == null; attempt++) {
      try {
        socket =
            client
                .connect(
                    new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(serverPort)
                        .setURI("/v1/ws")
                        .setTimeout(60_000))
                .toCompletionStage()
                .toCompletableFuture()
                .get(90, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
    socket.binaryMessageHandler(answers::add);
    socket.textMessageHandler(t -> answers.add(Buffer.buffer("TEXT ANSWER: " + t)));
  }

  @AfterAll
  static void stop() throws Exception {
    crypto.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @FuzzTest
  void frame_anyBytes(byte[] data) throws Exception {
    if (data.length == 0) {
      return;
    }
    byte[] frame = Arrays.copyOfRange(data, 1, data.length);
    if (socket.isClosed()) {
      connect();
    }
    answers.clear();
    boolean text = (data[0] & 1) == 1;
    Long id = null;
    if (text) {
      socket.writeTextMessage(new String(frame, StandardCharsets.UTF_8));
    } else {
      socket.writeBinaryMessage(Buffer.buffer(frame));
      try {
        id = WsRequest.parseFrom(frame).getId();
      } catch (com.google.protobuf.InvalidProtocolBufferException undecodable) {
        id = 0L;
      }
    }
    Buffer answer = answers.poll(30, TimeUnit.SECONDS);
    assertThat(answer).as("an answer to every frame").isNotNull();
    assertThat(socket.isClosed()).as("connection kept").isFalse();
    WsResponse r = WireCodec.decode(WsResponse.class, answer.getBytes());
    assertThat(r.getFrameVersion()).isEqualTo(1);
    if (text) {
      assertThat(r.hasError()).isTrue();
      assertThat(r.getId()).isZero();
    } else {
      assertThat(r.getId()).isEqualTo(id);
      if (!r.hasError()) {
        assertThat(r.getMethod()).isEqualTo("Status");
      }
    }
    assertThat(answers).as("exactly one answer").isEmpty();
  }
}
