package dev.fleetvault.gateway.auth;

import dev.fleetvault.gateway.config.AppSpec;
import dev.fleetvault.gateway.crypto.CryptoExecutor;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.FleetvaultException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Verifies app tokens: compact JWS, {@code alg} ES256, signed by one of the issuing app's
 * configured keys; {@code iss} names a configured app, {@code sub} is the user id
 * (1-128 characters of {@code [A-Za-z0-9._@:+=-]}), {@code exp} is required and in the future
 * (30 s leeway). Anything else fails with {@link ErrorCode#UNAUTHENTICATED}. The signature
 * check runs on the node's {@link CryptoExecutor}, never on the event loop; a token already verified
 * on this node is answered from {@link VerifiedTokens} until its {@code exp}.
 */
public final class TokenVerifier {
  /** Longest token accepted. */
  public static final int MAX_TOKEN_CHARS = 4096;
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@:+=-]{1,128}");
  private final Map<String, JWTAuth> byIssuer = new HashMap<>();
  private final CryptoExecutor crypto;
  private final VerifiedTokens verified;

  /**
   * @param vertx the node's Vert.x
   * @param apps the configured apps
   * @param crypto the worker pool signatures are verified on
   */
  public TokenVerifier(Vertx vertx, List<AppSpec> apps, CryptoExecutor crypto) {
    this(vertx, apps, crypto, new VerifiedTokens(100_000));
  }

  /**
   * @param vertx the node's Vert.x
   * @param apps the configured apps
   * @param crypto the worker pool signatures are verified on
   * @param verified the cache of tokens this node verified
   */
  public TokenVerifier(Vertx vertx, List<AppSpec> apps, CryptoExecutor crypto, VerifiedTokens verified) {
    this.crypto = crypto;
    this.verified = verified;
    for (AppSpec app : apps) {
      JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions()
          .setIssuer(app.id()).setLeeway(30).setIgnoreExpiration(false));
      for (String pem : app.publicKeyPems()) {
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(pem));
      }
      byIssuer.put(app.id(), JWTAuth.create(vertx, options));
    }
  }

  /** Verifies a bare token or an {@code Authorization} value ("Bearer ..."). */
  public Future<Caller> verify(String token) {
    if (token == null || token.isEmpty()) {
      return fail("a token is required (gRPC metadata 'authorization: Bearer <jwt>', or 'token' in the WebSocket frame)");
    }
    if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = token.substring(7).trim();
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      return fail("token too long");
    }
    Caller known = verified.lookup(token);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return fail("token is not a compact JWS");
    }
    JsonObject header;
    JsonObject claims;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException e) {
      return fail("token is not a compact JWS");
    }
    if (!"ES256".equals(header.getValue("alg"))) {
      return fail("token must be signed with ES256");
    }
    Object iss = claims.getValue("iss");
    JWTAuth auth = iss instanceof String ? byIssuer.get(iss) : null;
    if (auth == null) {
      return fail("token issuer is not a configured app");
    }
    if (!(claims.getValue("exp") instanceof Number)) {
      return fail("token has no expiry ('exp')");
    }
    Object sub = claims.getValue("sub");
    if (!(sub instanceof String) || !USER.matcher((String) sub).matches()) {
      return fail("token subject ('sub') must be 1-128 characters of [A-Za-z0-9._@:+=-]");
    }
    String appId = (String) iss;
    String userId = (String) sub;
    long exp = ((Number) claims.getValue("exp")).longValue();
    String verifiedToken = token;
    TokenCredentials credentials = new TokenCredentials(token);
    // vertx-auth-jwt verifies on the calling thread: call it on the crypto pool.
    return crypto.run("jwt", () -> auth.authenticate(credentials))
        .compose(authenticated -> authenticated)
        .recover(e -> fail("token rejected: bad signature or expired"))
        .map(u -> {
          Caller caller = new Caller(appId, userId, exp);
          verified.remember(verifiedToken, caller);
          return caller;
        });
  }

  private static <T> Future<T> fail(String message) {
    return Future.failedFuture(new FleetvaultException(ErrorCode.UNAUTHENTICATED, message));
  }
}
