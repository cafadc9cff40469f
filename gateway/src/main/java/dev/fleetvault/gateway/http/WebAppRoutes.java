package dev.fleetvault.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The web app at {@code /app/} (module {@code webapp}: {@code index.html}, {@code app.css}, {@code
 * app.js} from the class path under {@value #RESOURCE_DIR}) and the fleet's trust file at {@code
 * /app/trust.json} (PROTOCOL.md section 18: the pinned signer and operator keys the page verifies
 * bundles with; it holds no secret).
 *
 * <p>Guarantees: only these four paths are served (no directory listing, no path from the request
 * reaches the file system or the class path); every answer carries a strict Content-Security-Policy
 * (scripts and styles only from this origin, no inline code, connections only to this origin, no
 * framing), {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer} and an
 * explicit {@code Cache-Control}: assets are revalidated by ETag ({@code no-cache}), the page and
 * the trust file are never stored ({@code no-store}). The trust file is read from disk on each
 * request (it is written once the local signer published), and is 404 when the node has none.
 *
 * <p>What it does not give: a page served by an edge runs the code that edge sends, so it protects
 * the user against the network and the other members, not against the operator of this edge. An app
 * that must not trust the edge serves the same assets (and its pinned trust file) from its own
 * origin.
 */
public final class WebAppRoutes {
  /** Where the {@code webapp} jar puts the assets. */
  public static final String RESOURCE_DIR = "dev/fleetvault/webapp/app/";

  /** The policy of every answer under {@code /app}. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; "
          + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final Map<String, String> ASSETS =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "app.css", "text/css; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8");

  private WebAppRoutes() {}

  /**
   * Adds the routes to {@code router}; {@code trustFile} is where the fleet's trust file may be
   * (empty: none). Without the {@code webapp} jar on the class path {@code /app} answers 404 with a
   * plain explanation.
   */
  public static Router mount(Router router, Vertx vertx, Optional<Path> trustFile) {
    Map<String, Asset> assets = load();
    // Vert.x matches "/app" and "/app/" alike: the page's relative URLs need the slash
    router
        .get("/app")
        .handler(
            rc -> {
              if (rc.request().path().endsWith("/")) {
                serve(rc, assets.get("index.html"), "no-store");
              } else {
                secure(rc.response()).setStatusCode(308).putHeader("location", "/app/").end();
              }
            });
    for (String name : ASSETS.keySet()) {
      router
          .get("/app/" + name)
          .handler(
              rc ->
                  serve(rc, assets.get(name), name.equals("index.html") ? "no-store" : "no-cache"));
    }
    router
        .get("/app/trust.json")
        .handler(
            rc -> {
              if (trustFile.isEmpty()) {
                notFound(rc, "this node publishes no trust file");
                return;
              }
              vertx
                  .fileSystem()
                  .readFile(trustFile.get().toString())
                  .onComplete(
                      ar -> {
                        if (ar.failed()) {
                          notFound(rc, "the fleet's trust file is not published yet");
                        } else {
                          secure(rc.response())
                              .putHeader("content-type", "application/json")
                              .putHeader("cache-control", "no-store")
                              .end(ar.result());
                        }
                      });
            });
    return router;
  }

  private record Asset(Buffer body, String type, String etag) {}

  private static Map<String, Asset> load() {
    ClassLoader cl = WebAppRoutes.class.getClassLoader();
    java.util.HashMap<String, Asset> out = new java.util.HashMap<>();
    for (Map.Entry<String, String> e : ASSETS.entrySet()) {
      try (InputStream in = cl.getResourceAsStream(RESOURCE_DIR + e.getKey())) {
        if (in == null) {
          continue;
        }
        byte[] b = in.readAllBytes();
        String etag =
            "\""
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b), 0, 16)
                + "\"";
        out.put(e.getKey(), new Asset(Buffer.buffer(b), e.getValue(), etag));
      } catch (IOException ex) {
        throw new UncheckedIOException("reading the web app's " + e.getKey(), ex);
      } catch (NoSuchAlgorithmException ex) {
        throw new IllegalStateException(ex);
      }
    }
    return out;
  }

  private static void serve(RoutingContext rc, Asset a, String cacheControl) {
    if (a == null) {
      notFound(rc, "the web app is not part of this build (module webapp)");
      return;
    }
    HttpServerResponse r =
        secure(rc.response()).putHeader("cache-control", cacheControl).putHeader("etag", a.etag());
    if (a.etag().equals(rc.request().getHeader("if-none-match"))) {
      r.setStatusCode(304).end();
      return;
    }
    r.putHeader("content-type", a.type()).end(a.body());
  }

  private static void notFound(RoutingContext rc, String why) {
    secure(rc.response())
        .setStatusCode(404)
        .putHeader("content-type", "text/plain; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(why + "\n");
  }

  private static HttpServerResponse secure(HttpServerResponse r) {
    return r.putHeader("content-security-policy", CONTENT_SECURITY_POLICY)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("x-frame-options", "DENY")
        .putHeader("cross-origin-opener-policy", "same-origin")
        .putHeader("cross-origin-resource-policy", "same-origin")
        .putHeader(
            "permissions-policy",
            "publickey-credentials-get=(self), publickey-credentials-create=(self)");
  }
}
