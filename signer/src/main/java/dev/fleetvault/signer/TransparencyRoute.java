package dev.fleetvault.signer;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;

/**
 * The static transparency site on the signer's HTTP server: {@code GET /transparency/…} from one
 * directory, read-only, no directory listings ({@code index.html} stands for a directory), no
 * hidden files, never cached by the server (the site is rebuilt in place when a new epoch is
 * published). Every answer carries a Content-Security-Policy that allows no scripts, frames or
 * foreign resources, so a page cannot run code in its reader's browser whatever text an artifact
 * put into it.
 */
final class TransparencyRoute {
  /** The URL path prefix. */
  static final String PREFIX = "/transparency";

  static final String CSP =
      "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  private TransparencyRoute() {}

  static void mount(Router r, Path dir) {
    r.route(HttpMethod.GET, PREFIX)
        .handler(
            c -> {
              if (c.request().path().equals(PREFIX)) {
                c.redirect(PREFIX + "/");
              } else {
                c.next(); // Vert.x matches "/transparency/" here too
              }
            });
    StaticHandler h =
        StaticHandler.create(FileSystemAccess.ROOT, dir.toAbsolutePath().normalize().toString())
            .setDirectoryListing(false)
            .setIncludeHidden(false)
            .setCachingEnabled(false)
            .setFilesReadOnly(false)
            .setIndexPage("index.html")
            .setDefaultContentEncoding("UTF-8");
    r.route(PREFIX + "/*")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(
            c -> {
              c.response()
                  .putHeader("Content-Security-Policy", CSP)
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .putHeader("Referrer-Policy", "no-referrer");
              c.next();
            })
        .handler(h);
  }
}
