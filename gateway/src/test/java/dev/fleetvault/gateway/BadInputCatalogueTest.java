package dev.fleetvault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.support.GrpcTransport;
import dev.fleetvault.gateway.support.SharedFleet;
import dev.fleetvault.gateway.support.TestClient;
import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.gateway.support.VaultTransport;
import dev.fleetvault.gateway.support.WsTransport;
import dev.fleetvault.protocol.flow.RecoverResult;
import dev.fleetvault.protocol.flow.Recovery;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.ErrorCodes;
import dev.fleetvault.protocol.wire.Recover0Request;
import dev.fleetvault.protocol.wire.SealedRequest;
import dev.fleetvault.protocol.wire.StatusRequest;
import dev.fleetvault.protocol.wire.StatusResponse;
import dev.fleetvault.protocol.wire.WsRequest;
import dev.fleetvault.protocol.wire.WsResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.grpc.common.GrpcStatus;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The bad-input catalogue ({@code BadInputCatalogue.csv} beside this class in the test resources:
 * one row per case, with the expected status, error code and message): gRPC, WebSocket and plain
 * HTTP inputs against a running 3-node fleet, and node configuration files. Every endpoint case
 * aims at one registered user; afterwards the node still serves, and at the end that user has lost
 * no guess and still recovers.
 */
@Tag("process")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputCatalogueTest {
  static final String USER = "catalogue-user";
  static final String PIN = "2468";
  static final int GUESSES = 5;
  static final SecureRandom RANDOM = new SecureRandom();
  static TestFleet fleet;
  static Vertx vertx;
  static HttpClient h2;
  static HttpClient h1;
  static LocalFleet.Edge edge;

  /** What a node answered: status, fleetvault error code (or null) and message. */
  record Outcome(String status, String code, String message) {}

  @BeforeAll
  static void start() throws Exception {
    fleet = SharedFleet.get();
    vertx = Vertx.vertx();
    edge = fleet.fleet().edges().get(0);
    h2 =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    h1 =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setMaxInitialLineLength(65536)
                .setMaxHeaderSize(65536));
    try (VaultTransport t = new GrpcTransport(vertx, edge.host(), edge.port())) {
      new TestClient(t, fleet.realm(), fleet::token)
          .register(USER, PIN, new byte[] {4, 2}, GUESSES);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Order(1)
  @ParameterizedTest(name = "{0}: {2} -> {3} {4}")
  @CsvFileSource(resources = "BadInputCatalogue.csv", delimiter = '|')
  void badInput_refusedWithItsCodeAndNodeKeepsServing(
      String id,
      String surface,
      String input,
      String status,
      String code,
      String message,
      String knownIssue)
      throws Exception {
    Outcome o;
    try {
      o =
          switch (surface) {
            case "grpc" -> grpc(id);
            case "ws" -> ws(id);
            case "http" -> http(id);
            case "config" -> config(id);
            default -> throw new AssertionError("unknown surface " + surface);
          };
    } catch (TimeoutException e) {
      Assumptions.assumeTrue(
          knownIssue == null || knownIssue.isBlank(),
          "KNOWN ISSUE, no answer within the deadline: " + knownIssue);
      if (!"grpc".equals(surface)) {
        throw new AssertionError(id + ": no answer within the deadline", e);
      }
      // Seen intermittently on gRPC rows refused early (version, token, envelope checks): the raw
      // HTTP/2 client's exchange never completed although the same row answers at once on a new
      // connection. Not yet known whether the edge or this client loses the trailers-only answer
      // (issue 14); the row is sent once more on a fresh connection, loudly, and must answer then.
      System.err.println(
          "WARNING "
              + id
              + ": no answer within the deadline; retrying once on a new HTTP/2 connection");
      h2.close();
      h2 =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setProtocolVersion(HttpVersion.HTTP_2)
                  .setHttp2ClearTextUpgrade(false));
      try {
        o = grpc(id);
      } catch (TimeoutException again) {
        throw new AssertionError(id + ": no answer within the deadline, twice", again);
      }
    }
    assertThat(o.status()).as("%s status (%s)", id, o).isEqualTo(status);
    if (!"-".equals(code)) {
      assertThat(o.code()).as("%s code (%s)", id, o).isEqualTo(code);
    }
    if (message != null && !message.isEmpty()) {
      assertThat(o.message()).as("%s message (%s)", id, o).contains(message);
    }
    if (!"config".equals(surface)) {
      assertStillServing();
    }
  }

  /** Nothing in the catalogue spent a guess or changed the user's record. */
  @Order(2)
  @Test
  void afterCatalogue_userLostNoGuessAndStillRecovers() throws Exception {
    try (VaultTransport t = new GrpcTransport(vertx, edge.host(), edge.port())) {
      TestClient c = new TestClient(t, fleet.realm(), fleet::token);
      assertThat(c.recover(USER, "0000")).isEqualTo(new RecoverResult.WrongPin(GUESSES - 1));
      assertThat(c.recover(USER, PIN)).isInstanceOf(RecoverResult.Recovered.class);
    }
  }

  static void assertStillServing() throws Exception {
    try (VaultTransport t = new GrpcTransport(vertx, edge.host(), edge.port())) {
      StatusResponse s =
          t.call(
                  "Status",
                  StatusRequest.newBuilder().setVersion(1).setSuite(1).build(),
                  null,
                  StatusResponse.getDefaultInstance())
              .orThrow();
      assertThat(s.getMembers()).isEqualTo(3);
    }
  }

  // ------------------------------------------------------------------ inputs

  static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    b[0] = (byte) 0xff;
    return b;
  }

  static Recover0Request recover0() throws Exception {
    return Recovery.begin(
            fleet.realm(),
            TestClient.APP,
            USER.getBytes(StandardCharsets.UTF_8),
            SecretBytes.copyOf(new byte[] {1}),
            RANDOM)
        .recover0Request();
  }

  static Recover0Request withEnvelope(
      int index, java.util.function.UnaryOperator<SealedRequest.Builder> edit) throws Exception {
    Recover0Request r = recover0();
    return r.toBuilder().setRequests(index, edit.apply(r.getRequests(index).toBuilder())).build();
  }

  static byte[] withUnknownField(com.google.protobuf.Message m, int field) {
    return m.toBuilder()
        .setUnknownFields(
            UnknownFieldSet.newBuilder()
                .addField(field, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                .build())
        .build()
        .toByteArray();
  }

  static byte[] grpcFrame(int flag, byte[] message) {
    return ByteBuffer.allocate(5 + message.length)
        .put((byte) flag)
        .putInt(message.length)
        .put(message)
        .array();
  }

  static Outcome grpc(String id) throws Exception {
    String vault = "/fleetvault.v1.Vault/";
    String token = fleet.token(USER);
    switch (id) {
      case "grpc.malformed-protobuf":
        return grpcCall(vault + "Recover1", grpcFrame(0, random(300)), token);
      case "grpc.truncated-protobuf":
        {
          byte[] b = recover0().toByteArray();
          return grpcCall(vault + "Recover0", grpcFrame(0, Arrays.copyOf(b, b.length - 20)), token);
        }
      case "grpc.unknown-field":
        return grpcCall(
            vault + "Status",
            grpcFrame(
                0,
                withUnknownField(StatusRequest.newBuilder().setVersion(1).setSuite(1).build(), 99)),
            null);
      case "grpc.version-2":
        return grpcCall(
            vault + "Recover0",
            grpcFrame(0, recover0().toBuilder().setVersion(2).build().toByteArray()),
            token);
      case "grpc.suite-2":
        return grpcCall(
            vault + "Recover0",
            grpcFrame(0, recover0().toBuilder().setSuite(2).build().toByteArray()),
            token);
      case "grpc.empty-message":
        return grpcCall(vault + "Recover1", grpcFrame(0, new byte[0]), token);
      case "grpc.oversize":
        return grpcCall(vault + "Recover1", grpcFrame(0, new byte[70_000]), token);
      case "grpc.length-prefix-lies":
        {
          byte[] f = ByteBuffer.allocate(15).put((byte) 0).putInt(1000).put(new byte[10]).array();
          return grpcCall(vault + "Recover1", f, token);
        }
      case "grpc.unknown-method":
        return grpcCall(vault + "Steal", grpcFrame(0, new byte[0]), token);
      case "grpc.unknown-service":
        return grpcCall("/fleetvault.v1.Admin/Status", grpcFrame(0, new byte[0]), null);
      case "grpc.wrong-content-type":
        return h2Call(
            HttpMethod.POST,
            vault + "Status",
            "application/grpc+json",
            MultiMap.caseInsensitiveMultiMap(),
            "{}".getBytes(StandardCharsets.UTF_8));
      case "grpc.compressed-flag-without-encoding":
        return grpcCall(
            vault + "Status",
            grpcFrame(
                1, StatusRequest.newBuilder().setVersion(1).setSuite(1).build().toByteArray()),
            null);
      case "grpc.unknown-encoding":
        return h2Call(
            HttpMethod.POST,
            vault + "Status",
            "application/grpc",
            MultiMap.caseInsensitiveMultiMap().add("grpc-encoding", "snappy").add("te", "trailers"),
            grpcFrame(
                1, StatusRequest.newBuilder().setVersion(1).setSuite(1).build().toByteArray()));
      case "grpc.missing-token":
        return grpcCall(vault + "Recover0", grpcFrame(0, recover0().toByteArray()), null);
      case "grpc.garbage-token":
        return grpcCall(vault + "Recover0", grpcFrame(0, recover0().toByteArray()), "x.y.z");
      case "grpc.user-id-129-bytes":
        return grpcCall(
            vault + "Recover0",
            grpcFrame(
                0,
                recover0().toBuilder()
                    .setUserId(ByteString.copyFrom(new byte[129]))
                    .build()
                    .toByteArray()),
            token);
      case "grpc.no-envelopes":
        return grpcCall(
            vault + "Recover0",
            grpcFrame(0, recover0().toBuilder().clearRequests().build().toByteArray()),
            token);
      case "grpc.duplicate-member":
        return grpcCall(
            vault + "Recover0",
            grpcFrame(0, withEnvelope(1, e -> e.setMember(1)).toByteArray()),
            token);
      case "grpc.member-index-4":
        return grpcCall(
            vault + "Recover0",
            grpcFrame(0, withEnvelope(2, e -> e.setMember(4)).toByteArray()),
            token);
      case "grpc.enc-64-bytes":
        return grpcCall(
            vault + "Recover0",
            grpcFrame(0, withEnvelope(0, e -> e.setEnc(e.getEnc().substring(0, 64))).toByteArray()),
            token);
      case "grpc.ciphertext-15-bytes":
        return grpcCall(
            vault + "Recover0",
            grpcFrame(
                0,
                withEnvelope(0, e -> e.setCiphertext(ByteString.copyFrom(new byte[15])))
                    .toByteArray()),
            token);
      case "grpc.token-other-user":
        return grpcCall(
            vault + "Recover0",
            grpcFrame(0, recover0().toByteArray()),
            fleet.token("someone-else"));
      default:
        throw new AssertionError("no input for " + id);
    }
  }

  static Outcome grpcCall(String path, byte[] body, String token) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("te", "trailers");
    if (token != null) {
      headers.add("authorization", "Bearer " + token);
    }
    return h2Call(HttpMethod.POST, path, "application/grpc", headers, body);
  }

  /** One HTTP/2 (h2c) exchange; gRPC status from trailers (or headers, trailers-only). */
  static Outcome h2Call(
      HttpMethod method, String path, String contentType, MultiMap headers, byte[] body)
      throws Exception {
    return await(
        h2.request(
                new RequestOptions()
                    .setMethod(method)
                    .setHost(edge.host())
                    .setPort(edge.port())
                    .setURI(path))
            .compose(
                req -> {
                  req.headers().addAll(headers);
                  if (contentType != null) {
                    req.putHeader("content-type", contentType);
                  }
                  return req.send(Buffer.buffer(body));
                })
            .compose(resp -> resp.body().map(b -> outcome(resp, b))));
  }

  static Outcome outcome(HttpClientResponse resp, Buffer body) {
    if (resp.statusCode() != 200) {
      return new Outcome("HTTP " + resp.statusCode(), null, body.toString(StandardCharsets.UTF_8));
    }
    MultiMap t = resp.trailers();
    String st = t.get("grpc-status") != null ? t.get("grpc-status") : resp.getHeader("grpc-status");
    String code =
        t.get("fleetvault-error") != null
            ? t.get("fleetvault-error")
            : resp.getHeader("fleetvault-error");
    String msg =
        t.get("grpc-message") != null ? t.get("grpc-message") : resp.getHeader("grpc-message");
    return new Outcome(
        st == null ? "NO grpc-status" : GrpcStatus.valueOf(Integer.parseInt(st)).name(),
        code,
        msg == null ? "" : URLDecoder.decode(msg, StandardCharsets.UTF_8));
  }

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("exchange failed: " + e.getCause(), e.getCause());
    }
  }

  static Outcome ws(String id) throws Exception {
    String token = fleet.token(USER);
    byte[] status = StatusRequest.newBuilder().setVersion(1).setSuite(1).build().toByteArray();
    try (WsTransport ws = new WsTransport(vertx, edge.host(), edge.port())) {
      WsResponse r;
      long sentId = 0;
      switch (id) {
        case "ws.garbage-binary" -> r = ws.rawBinary(random(200));
        case "ws.text-frame" ->
            r = ws.rawText("{\"v\":1,\"id\":0,\"method\":\"Status\",\"body\":{}}");
        case "ws.empty-binary" -> r = ws.rawBinary(new byte[0]);
        case "ws.oversize" -> r = ws.rawBinary(new byte[70_000]);
        default -> {
          WsRequest frame =
              switch (id) {
                case "ws.frame-version-2" -> WsTransport.frame(2, 11, "Status", null, status);
                case "ws.unknown-method" -> WsTransport.frame(1, 12, "Steal", token, status);
                case "ws.empty-method" -> WsTransport.frame(1, 13, "", token, status);
                case "ws.method-too-long" ->
                    WsTransport.frame(1, 14, "R".repeat(40), token, status);
                case "ws.token-too-long" ->
                    WsTransport.frame(
                        1, 15, "Recover0", "t".repeat(5000), recover0().toByteArray());
                case "ws.body-garbage" -> WsTransport.frame(1, 16, "Recover0", token, random(100));
                case "ws.status-body-garbage" ->
                    WsTransport.frame(1, 17, "Status", null, random(40));
                case "ws.unknown-frame-field" ->
                    WsRequest.parseFrom(
                        withUnknownField(WsTransport.frame(1, 18, "Status", null, status), 99));
                case "ws.body-unknown-field" ->
                    WsTransport.frame(1, 19, "Recover0", token, withUnknownField(recover0(), 99));
                case "ws.body-version-2" ->
                    WsTransport.frame(
                        1,
                        20,
                        "Recover0",
                        token,
                        recover0().toBuilder().setVersion(2).build().toByteArray());
                case "ws.no-token" ->
                    WsTransport.frame(1, 21, "Recover0", null, recover0().toByteArray());
                case "ws.duplicate-member" ->
                    WsTransport.frame(
                        1,
                        22,
                        "Recover0",
                        token,
                        withEnvelope(0, e -> e.setMember(2)).toByteArray());
                default -> throw new AssertionError("no input for " + id);
              };
          sentId = frame.getId();
          r = ws.rawBinary(frame.toByteArray());
        }
      }
      assertThat(r.getId()).as("%s: answer id", id).isEqualTo(sentId);
      assertThat(r.getFrameVersion()).isEqualTo(1);
      assertThat(r.hasError()).as("%s: an error answer", id).isTrue();
      int grpc = ErrorCodes.grpcStatus(r.getError().getCode());
      return new Outcome(
          GrpcStatus.valueOf(grpc).name(),
          ErrorCodes.wireName(r.getError().getCode()),
          r.getError().getMessage());
    }
  }

  static Outcome http(String id) throws Exception {
    return switch (id) {
      case "http.unknown-path" ->
          h1Call(HttpMethod.GET, "/nope", MultiMap.caseInsensitiveMultiMap());
      case "http.post-healthz" ->
          h1Call(HttpMethod.POST, "/healthz", MultiMap.caseInsensitiveMultiMap());
      case "http.path-traversal" ->
          h1Call(HttpMethod.GET, "/../../etc/passwd", MultiMap.caseInsensitiveMultiMap());
      case "http.ws-wrong-path" -> {
        try {
          await(
              vertx
                  .createWebSocketClient(new WebSocketClientOptions())
                  .connect(
                      new WebSocketConnectOptions()
                          .setHost(edge.host())
                          .setPort(edge.port())
                          .setURI("/v2/ws")));
          yield new Outcome("upgraded", null, "");
        } catch (AssertionError e) {
          String m = String.valueOf(e.getCause());
          yield new Outcome(m.contains("404") ? "HTTP 404" : "refused: " + m, null, m);
        }
      }
      case "http.uri-too-long" ->
          h1Call(HttpMethod.GET, "/" + "a".repeat(20_000), MultiMap.caseInsensitiveMultiMap());
      case "http.header-too-large" ->
          h1Call(
              HttpMethod.GET,
              "/healthz",
              MultiMap.caseInsensitiveMultiMap().add("x-big", "b".repeat(20_000)));
      case "http.json-on-grpc-path" ->
          h1Call(
              HttpMethod.POST,
              "/fleetvault.v1.Vault/Status",
              MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json"));
      case "http.grpc-get" ->
          h2Call(
              HttpMethod.GET,
              "/fleetvault.v1.Vault/Status",
              "application/grpc",
              MultiMap.caseInsensitiveMultiMap().add("te", "trailers"),
              new byte[0]);
      default -> throw new AssertionError("no input for " + id);
    };
  }

  static Outcome h1Call(HttpMethod method, String uri, MultiMap headers) throws Exception {
    return await(
        h1.request(
                new RequestOptions()
                    .setMethod(method)
                    .setHost(edge.host())
                    .setPort(edge.port())
                    .setURI(uri))
            .compose(
                req -> {
                  req.headers().addAll(headers);
                  return req.send();
                })
            .compose(
                resp ->
                    resp.body()
                        .map(
                            b ->
                                new Outcome(
                                    "HTTP " + resp.statusCode(),
                                    null,
                                    b.toString(StandardCharsets.UTF_8)))));
  }

  static Outcome config(String id) throws Exception {
    Path dir =
        Files.createTempDirectory(
            Path.of(System.getProperty("fleetvault.buildDir", "target")).toAbsolutePath(),
            "catalogue-config-");
    Path valid = TestFleet.writeConfig(dir, 27000, null);
    String y = Files.readString(valid);
    Path f = valid;
    switch (id) {
      case "config.unknown-top-level-key" -> Files.writeString(f, y + "limitz:\n  a: 1\n");
      case "config.unknown-member-key" ->
          Files.writeString(
              f, y.replaceFirst("      client: ", "      clinet: 127.0.0.1:1\n      client: "));
      case "config.version-not-integer" ->
          Files.writeString(f, y.replace("version: 1", "version: one"));
      case "config.version-2" -> Files.writeString(f, y.replace("version: 1", "version: 2"));
      case "config.port-not-a-number" ->
          Files.writeString(f, y.replace("client: 127.0.0.1:27000", "client: 127.0.0.1:http"));
      case "config.port-out-of-range" ->
          Files.writeString(f, y.replace("client: 127.0.0.1:27000", "client: 127.0.0.1:70000"));
      case "config.shared-port-peer-raft" ->
          Files.writeString(f, y.replace("raft: 127.0.0.1:27006", "raft: 127.0.0.1:27001"));
      case "config.even-members" ->
          f = TestFleet.writeConfig(dir, 27000, null, 2, TestFleet.TEST_REGISTRATION);
      case "config.duplicate-key" -> Files.writeString(f, y + "limits:\n  max_message_bytes: 1\n");
      case "config.max-connections-per-address-zero" ->
          Files.writeString(
              f,
              y.contains("\nlimits:\n")
                  ? y.replace("\nlimits:\n", "\nlimits:\n  max_connections_per_address: 0\n")
                  : y + "limits:\n  max_connections_per_address: 0\n");
      case "config.empty-file" -> Files.writeString(f, "");
      case "config.missing-file" -> f = dir.resolve("absent.yaml");
      case "config.directory" -> f = dir;
      case "config.dev-zero" -> f = Path.of("/dev/zero");
      case "config.missing-app-key" ->
          Files.writeString(
              f, y.replaceFirst("public_keys: \\[[^]]*]", "public_keys: [missing.pem]"));
      case "config.alias-bomb" ->
          Files.writeString(
              f,
              "a: &a [x, x, x, x, x, x, x, x, x]\n"
                  + "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                  + "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n");
      default -> throw new AssertionError("no input for " + id);
    }
    Path file = f;
    try {
      NodeConfig.load(file);
      return new Outcome("loaded", null, "");
    } catch (ConfigException e) {
      return new Outcome("ConfigException", null, e.getMessage());
    } catch (RuntimeException e) {
      return new Outcome(e.getClass().getSimpleName(), null, String.valueOf(e.getMessage()));
    }
  }
}
