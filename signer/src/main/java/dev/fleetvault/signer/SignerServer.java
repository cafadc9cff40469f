package dev.fleetvault.signer;

import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;
import dev.fleetvault.bundles.tlog.NoteKey;
import dev.fleetvault.bundles.tlog.TilePath;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.net.ConnectionLimit;
import dev.fleetvault.signer.SignerException.Reason;
import dev.fleetvault.signer.admin.AdminServer;
import dev.fleetvault.signer.admin.SignerMetrics;
import dev.fleetvault.signer.impl.Wire;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signer's HTTP API (Vert.x web), shaped like Cloudflare's auditor API (plexi) plus the C2SP
 * tlog-tiles read API. All handlers run on worker threads (writes ordered, reads unordered); the
 * event loop never blocks. Endpoints (JSON is canonical JSON):
 *
 * <ul>
 *   <li>{@code GET /info}, {@code GET /namespaces}, {@code GET /namespaces/:ns}
 *   <li>{@code POST /namespaces/:ns/audits} body {@code {"digest":hex,"epoch":n,"namespace":ns}},
 *       header {@code Fleetvault-Operator-Signature: base64(DER ECDSA over
 *       "fleetvault/publish/v1\n" || body)} → entry
 *   <li>{@code GET /namespaces/:ns/audits/:epoch} → entry; {@code GET
 *       /namespaces/:ns/last-verified-epoch}
 *   <li>{@code POST /namespaces/:ns/audits/:epoch/attachment} body {@code
 *       {"artifact":b64,"operator_signature":b64}}
 *   <li>{@code GET /namespaces/:ns/bundle}, {@code GET /namespaces/:ns/bundles/:epoch} → bundle
 *       JSON; {@code GET /namespaces/:ns/envelope?from=m} → over-the-air envelope JSON
 *   <li>{@code GET /checkpoint}, {@code GET /checkpoints/:size} (text/plain signed notes), {@code
 *       GET /tile/<L>/<N>[.p/<W>]}, {@code GET /tile/entries/<N>[.p/<W>]}
 *   <li>{@code GET /entries/:index}, {@code GET /proof/inclusion?index=&tree_size=}, {@code GET
 *       /proof/consistency?first=&second=}
 *   <li>{@code POST /witness/cosignature?tree_size=n} body: one cosignature line
 *   <li>{@code GET /transparency/…}: the static transparency site, when configured ({@code
 *       transparency_dir})
 * </ul>
 */
public final class SignerServer {
  private static final Logger LOG = LoggerFactory.getLogger(SignerServer.class);

  /** Header carrying the operator's publish authentication. */
  public static final String AUTH_HEADER = "Fleetvault-Operator-Signature";

  private final Vertx vertx;
  private final SignerService service;
  private final HttpServer server;
  private final AutoCloseable resources;
  private final SignerMetrics metrics;
  private volatile AdminServer admin;

  private SignerServer(
      Vertx vertx,
      SignerService service,
      HttpServer server,
      AutoCloseable resources,
      SignerMetrics metrics) {
    this.vertx = vertx;
    this.service = service;
    this.server = server;
    this.resources = resources;
    this.metrics = metrics;
  }

  /** A connection silent this long (idle, or a request sent half) is closed. */
  public static final int IDLE_TIMEOUT_MS = 30_000;

  /**
   * Open connections one remote IP address may hold on the signer API when the configuration does
   * not say ({@code limits.max_connections_per_address}); further ones are closed at once.
   */
  public static final int MAX_CONNECTIONS_PER_ADDRESS =
      SignerConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;

  /**
   * Installs the per-address connection limit ({@link ConnectionLimit}, the one every Fleetvault
   * listener uses) on {@code server}: at most {@code maxPerAddress} open connections per remote IP
   * address; a connection is counted once the server sees it, freed when it closes.
   */
  static io.vertx.core.http.HttpServer limitConnections(
      io.vertx.core.http.HttpServer server, int maxPerAddress) {
    return new ConnectionLimit(maxPerAddress).guard(server);
  }

  /**
   * The signer's listener options: compression, the idle timeout {@link #IDLE_TIMEOUT_MS}, bounded
   * request line and headers, at most 100 concurrent HTTP/2 streams per connection.
   */
  static HttpServerOptions listenerOptions(String host, int port) {
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setCompressionSupported(true)
        .setIdleTimeout(IDLE_TIMEOUT_MS)
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        .setMaxInitialLineLength(4096)
        .setMaxHeaderSize(16384)
        .setInitialSettings(new io.vertx.core.http.Http2Settings().setMaxConcurrentStreams(100));
  }

  /** Starts the API for a service on host:port (0 = ephemeral). */
  public static Future<SignerServer> start(
      Vertx vertx, SignerService service, String host, int port, AutoCloseable resources) {
    return start(vertx, service, host, port, resources, null);
  }

  /**
   * As {@link #start(Vertx, SignerService, String, int, AutoCloseable)}, also serving the static
   * transparency site in {@code transparencyDir} (if not null) read-only under {@code GET
   * /transparency/}: files only (no directory listings, {@code index.html} for a directory),
   * nothing outside the directory, no symbolic links.
   */
  public static Future<SignerServer> start(
      Vertx vertx,
      SignerService service,
      String host,
      int port,
      AutoCloseable resources,
      java.nio.file.Path transparencyDir) {
    return start(
        vertx,
        service,
        host,
        port,
        resources,
        transparencyDir,
        MAX_CONNECTIONS_PER_ADDRESS,
        new SignerMetrics());
  }

  /**
   * As {@link #start(Vertx, SignerService, String, int, AutoCloseable, java.nio.file.Path)}, with
   * at most {@code maxConnectionsPerAddress} open connections per remote IP address ({@code
   * limits.max_connections_per_address}), recording every API request in {@code metrics} ({@code
   * fleetvault.signer.requests}).
   */
  public static Future<SignerServer> start(
      Vertx vertx,
      SignerService service,
      String host,
      int port,
      AutoCloseable resources,
      java.nio.file.Path transparencyDir,
      int maxConnectionsPerAddress,
      SignerMetrics metrics) {
    Router r = Router.router(vertx);
    if (transparencyDir != null) {
      TransparencyRoute.mount(r, transparencyDir);
    }
    r.route().handler(BodyHandler.create().setBodyLimit(1 << 20));
    Api api = new Api(vertx, service, metrics);
    api.routes(r);
    return limitConnections(
            vertx.createHttpServer(listenerOptions(host, port)), maxConnectionsPerAddress)
        .requestHandler(r)
        .listen()
        .map(s -> new SignerServer(vertx, service, s, resources, metrics));
  }

  /**
   * Opens the HSM key (generating it on first start), the data directory and the API from a config,
   * and the admin listener ({@link AdminServer}) when the config has one. Every HSM signature is
   * timed ({@code fleetvault.signer.hsm.sign}). Blocking; call from a non-event-loop thread (e.g.
   * main).
   */
  public static SignerServer startBlocking(Vertx vertx, SignerConfig c) throws Exception {
    HsmKey key =
        HsmKey.open(
            c.hsm(), c.sourceName() + ": hsm", c.baseDir(), c.keyLabel(), KeySpec.ED25519, true);
    SignerMetrics metrics = new SignerMetrics();
    try {
      SignerService s =
          new SignerService(
              c.dataDir(),
              c.origin(),
              key.ed25519PublicKey(),
              metrics.timedSigner(SignerService.hsmSigner(key)),
              c.namespaces(),
              c.operatorKey(),
              c.witnesses(),
              Clock.systemUTC());
      AutoCloseable res =
          () -> {
            s.close();
            key.close();
          };
      metrics.bindService(() -> !s.failed(), s::size);
      SignerServer api =
          start(
                  vertx,
                  s,
                  c.host(),
                  c.port(),
                  res,
                  c.transparencyDir(),
                  c.maxConnectionsPerAddress(),
                  metrics)
              .toCompletionStage()
              .toCompletableFuture()
              .get();
      if (c.admin() != null) {
        try {
          api.admin =
              AdminServer.start(
                      vertx,
                      c.admin().host(),
                      c.admin().port(),
                      metrics,
                      () -> notReady(s, metrics),
                      server -> limitConnections(server, c.maxConnectionsPerAddress()))
                  .toCompletionStage()
                  .toCompletableFuture()
                  .get();
        } catch (java.util.concurrent.ExecutionException e) {
          api.close().toCompletionStage().toCompletableFuture().get();
          throw new AdminBindException(
              "the signer's admin listener could not bind "
                  + c.admin().host()
                  + ":"
                  + c.admin().port()
                  + ": "
                  + e.getCause().getMessage(),
              e.getCause());
        }
      }
      return api;
    } catch (AdminBindException e) {
      throw new java.io.IOException(e.getMessage(), e.getCause()); // the API closed the key
    } catch (Exception e) {
      key.close();
      throw e;
    }
  }

  /** The admin listener did not start (the API, the log and the key are closed already). */
  private static final class AdminBindException extends Exception {
    AdminBindException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Why the signer is not ready, or null when it is (its admin {@code /readyz}). */
  static String notReady(SignerService s, SignerMetrics metrics) {
    if (s.failed()) {
      return "the signer stopped accepting writes after a failed durable append; restart it";
    }
    if (!metrics.hsmHealthy()) {
      return "the HSM key's last signature failed";
    }
    return null;
  }

  /** The bound port. */
  public int port() {
    return server.actualPort();
  }

  /** The admin listener's bound port, when one was configured. */
  public java.util.OptionalInt adminPort() {
    AdminServer a = admin;
    return a == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(a.port());
  }

  /** The signer's meters. */
  public SignerMetrics metrics() {
    return metrics;
  }

  /** The service behind the API. */
  public SignerService service() {
    return service;
  }

  /** Stops listening (API and admin) and closes the log and the HSM key. */
  public Future<Void> close() {
    AdminServer a = admin;
    Future<Void> adminClosed = a == null ? Future.succeededFuture() : a.close();
    return adminClosed
        .otherwiseEmpty()
        .compose(x -> server.close())
        .compose(
            v ->
                vertx.executeBlocking(
                    () -> {
                      resources.close();
                      return null;
                    }));
  }

  private record Reply(int status, String contentType, Buffer body, String cacheControl) {
    static Reply json(Object o) {
      return new Reply(200, "application/json", Buffer.buffer(CanonicalJson.encode(o)), "no-store");
    }

    static Reply bytes(String type, byte[] b) {
      return new Reply(200, type, Buffer.buffer(b), "no-store");
    }

    static Reply text(String s) {
      return new Reply(200, "text/plain; charset=utf-8", Buffer.buffer(s, "UTF-8"), "no-store");
    }

    /** Tiles never change once served (tlog-tiles: long-lived caching). */
    Reply immutable() {
      return new Reply(status, contentType, body, "public, max-age=31536000, immutable");
    }
  }

  private static final class Api {
    private final Vertx vertx;
    private final SignerService s;
    private final SignerMetrics metrics;

    Api(Vertx vertx, SignerService s, SignerMetrics metrics) {
      this.vertx = vertx;
      this.s = s;
      this.metrics = metrics;
    }

    /** The route's pattern (a fixed vocabulary for metrics), never the request's own path. */
    static String route(RoutingContext c) {
      String p = c.currentRoute() == null ? null : c.currentRoute().getPath();
      return c.request().method().name() + " " + (p != null ? p : "/tile/*");
    }

    void routes(Router r) {
      r.get("/healthz")
          .handler(c -> run(c, false, () -> Reply.text(s.failed() ? "failed\n" : "ok\n")));
      r.get("/info").handler(c -> run(c, false, this::info));
      r.get("/namespaces").handler(c -> run(c, false, this::namespaces));
      r.get("/namespaces/:ns").handler(c -> run(c, false, () -> namespace(c.pathParam("ns"))));
      r.post("/namespaces/:ns/audits").handler(c -> run(c, true, () -> publish(c)));
      r.get("/namespaces/:ns/audits/:epoch")
          .handler(
              c ->
                  run(
                      c,
                      false,
                      () -> {
                        SignerService.Entry e =
                            s.entry(c.pathParam("ns"), num(c.pathParam("epoch"), "epoch"));
                        return Reply.json(
                            Wire.entry(e, s.noteKey().keyId(), s.attachment(e.index())));
                      }));
      r.post("/namespaces/:ns/audits/:epoch/attachment")
          .handler(c -> run(c, true, () -> attach(c)));
      r.get("/namespaces/:ns/last-verified-epoch")
          .handler(
              c ->
                  run(
                      c,
                      false,
                      () -> {
                        List<Long> eps = s.epochs(c.pathParam("ns"));
                        if (eps.isEmpty()) {
                          throw new SignerException(Reason.NOT_FOUND, "nothing published");
                        }
                        SignerService.Entry e = s.entry(c.pathParam("ns"), eps.get(eps.size() - 1));
                        return Reply.json(
                            Wire.entry(e, s.noteKey().keyId(), s.attachment(e.index())));
                      }));
      r.get("/namespaces/:ns/bundle")
          .handler(
              c ->
                  run(
                      c,
                      false,
                      () ->
                          Reply.bytes(
                              "application/json", s.bundle(c.pathParam("ns"), null).toJson())));
      r.get("/namespaces/:ns/bundles/:epoch")
          .handler(
              c ->
                  run(
                      c,
                      false,
                      () ->
                          Reply.bytes(
                              "application/json",
                              s.bundle(c.pathParam("ns"), num(c.pathParam("epoch"), "epoch"))
                                  .toJson())));
      r.get("/namespaces/:ns/envelope")
          .handler(
              c ->
                  run(
                      c,
                      false,
                      () ->
                          Reply.bytes(
                              "application/json",
                              s.envelope(c.pathParam("ns"), query(c, "from", 0L)).toJson())));
      r.get("/checkpoint").handler(c -> run(c, false, () -> Reply.text(s.latestCheckpoint())));
      r.get("/checkpoints/:size")
          .handler(
              c -> run(c, false, () -> Reply.text(s.checkpoint(num(c.pathParam("size"), "size")))));
      r.getWithRegex("/tile/.+")
          .handler(
              c ->
                  run(
                      c,
                      false,
                      () -> {
                        TilePath t;
                        try {
                          t = TilePath.parse(c.request().path());
                        } catch (FormatException e) {
                          throw new SignerException(Reason.NOT_FOUND, e.getMessage());
                        }
                        return Reply.bytes("application/octet-stream", s.tile(t)).immutable();
                      }));
      r.get("/entries/:index")
          .handler(
              c ->
                  run(
                      c,
                      false,
                      () -> {
                        SignerService.Entry e = s.entry(num(c.pathParam("index"), "index"));
                        return Reply.json(
                            Wire.entry(e, s.noteKey().keyId(), s.attachment(e.index())));
                      }));
      r.get("/proof/inclusion")
          .handler(
              c ->
                  run(
                      c,
                      false,
                      () -> {
                        long i = query(c, "index", null);
                        long n = query(c, "tree_size", s.size());
                        return Reply.json(
                            Wire.proof(s.inclusionProof(i, n), Map.of("index", i, "tree_size", n)));
                      }));
      r.get("/proof/consistency")
          .handler(
              c ->
                  run(
                      c,
                      false,
                      () -> {
                        long m = query(c, "first", null);
                        long n = query(c, "second", s.size());
                        return Reply.json(
                            Wire.proof(s.consistencyProof(m, n), Map.of("first", m, "second", n)));
                      }));
      r.post("/witness/cosignature")
          .handler(
              c ->
                  run(
                      c,
                      true,
                      () -> {
                        s.addCosignature(query(c, "tree_size", null), c.body().asString("UTF-8"));
                        return Reply.text("ok\n");
                      }));
    }

    Reply info() {
      Map<String, Object> o = new TreeMap<>();
      NoteKey k = s.noteKey();
      o.put("origin", k.name());
      o.put("vkey", k.vkey());
      o.put("public_key", Codec.hex(k.publicKey()));
      o.put("ciphersuite", dev.fleetvault.bundles.SignatureMessage.CIPHERSUITE_ED25519_V1);
      o.put("namespaces", new ArrayList<Object>(s.namespaces()));
      o.put("operator_public_key", Codec.b64(s.operatorKey().getEncoded()));
      o.put("tree_size", s.size());
      return Reply.json(o);
    }

    Reply namespaces() throws SignerException {
      List<Object> l = new ArrayList<>();
      for (String n : s.namespaces()) {
        l.add(nsInfo(n));
      }
      return Reply.json(Map.of("namespaces", l));
    }

    Reply namespace(String ns) throws SignerException {
      return Reply.json(nsInfo(ns));
    }

    Map<String, Object> nsInfo(String ns) throws SignerException {
      List<Long> eps = s.epochs(ns);
      Map<String, Object> o = new TreeMap<>();
      o.put("name", ns);
      o.put("ciphersuite", dev.fleetvault.bundles.SignatureMessage.CIPHERSUITE_ED25519_V1);
      o.put("epochs", new ArrayList<Object>(eps));
      o.put("last_epoch", eps.isEmpty() ? 0L : eps.get(eps.size() - 1));
      return o;
    }

    Reply publish(RoutingContext c) throws SignerException {
      byte[] body = c.body().buffer() == null ? new byte[0] : c.body().buffer().getBytes();
      String auth = c.request().getHeader(AUTH_HEADER);
      byte[] sig;
      try {
        sig = auth == null ? null : Base64.getDecoder().decode(auth.trim());
      } catch (IllegalArgumentException e) {
        sig = null;
      }
      s.authenticate(body, sig);
      JsonMap m;
      try {
        m = CanonicalJson.parseObject(body);
        m.requireExactly("namespace", "epoch", "digest");
      } catch (FormatException e) {
        throw new SignerException(Reason.BAD_REQUEST, e.getMessage());
      }
      String ns = m.string("namespace");
      if (!ns.equals(c.pathParam("ns"))) {
        throw new SignerException(
            Reason.BAD_REQUEST, "namespace in the body differs from the path");
      }
      long epoch;
      byte[] digest;
      try {
        epoch = m.integer("epoch", 1, CanonicalJson.MAX_SAFE);
        digest = m.hex("digest", 32);
      } catch (FormatException e) {
        throw new SignerException(Reason.BAD_REQUEST, e.getMessage());
      }
      SignerService.Entry e = s.publish(ns, epoch, digest);
      return Reply.json(Wire.entry(e, s.noteKey().keyId(), null));
    }

    Reply attach(RoutingContext c) throws SignerException {
      JsonMap m;
      byte[] art;
      byte[] op;
      try {
        m =
            CanonicalJson.parseObject(
                c.body().buffer() == null ? new byte[0] : c.body().buffer().getBytes());
        m.requireExactly("artifact", "operator_signature");
        art = m.base64("artifact", -1);
        op = m.base64("operator_signature", -1);
      } catch (FormatException e) {
        throw new SignerException(Reason.BAD_REQUEST, e.getMessage());
      }
      s.attach(c.pathParam("ns"), num(c.pathParam("epoch"), "epoch"), art, op);
      return Reply.text("ok\n");
    }

    static long num(String v, String name) throws SignerException {
      if (v == null || !v.matches("0|[1-9][0-9]{0,15}")) {
        throw new SignerException(Reason.BAD_REQUEST, name + " must be a non-negative decimal");
      }
      return Long.parseLong(v);
    }

    static long query(RoutingContext c, String name, Long dflt) throws SignerException {
      List<String> v = c.queryParam(name);
      if (v.isEmpty()) {
        if (dflt == null) {
          throw new SignerException(Reason.BAD_REQUEST, "missing query parameter " + name);
        }
        return dflt;
      }
      if (v.size() > 1) {
        throw new SignerException(Reason.BAD_REQUEST, "repeated query parameter " + name);
      }
      return num(v.get(0), name);
    }

    void run(RoutingContext c, boolean ordered, Callable<Reply> work) {
      long start = System.nanoTime();
      String route = route(c);
      vertx
          .executeBlocking(work, ordered)
          .onComplete(
              ar -> {
                metrics.request(
                    route,
                    ar.succeeded()
                        ? "ok"
                        : ar.cause() instanceof SignerException e
                            ? e.reason().name().toLowerCase(java.util.Locale.ROOT)
                            : "internal",
                    start);
                if (ar.succeeded()) {
                  Reply r = ar.result();
                  c.response()
                      .setStatusCode(r.status())
                      .putHeader("Content-Type", r.contentType())
                      .putHeader("Cache-Control", r.cacheControl())
                      .end(r.body());
                } else if (ar.cause() instanceof SignerException e) {
                  Map<String, Object> o = new TreeMap<>();
                  o.put("error", e.reason().name());
                  o.put("message", String.valueOf(e.getMessage()));
                  c.response()
                      .setStatusCode(e.reason().status())
                      .putHeader("Content-Type", "application/json")
                      .end(Buffer.buffer(CanonicalJson.encode(o)));
                } else {
                  LOG.error(
                      "signer request {} {} failed",
                      c.request().method(),
                      c.request().path(),
                      ar.cause());
                  c.response()
                      .setStatusCode(500)
                      .putHeader("Content-Type", "application/json")
                      .end("{\"error\":\"INTERNAL\",\"message\":\"internal error\"}");
                }
              });
    }
  }
}
