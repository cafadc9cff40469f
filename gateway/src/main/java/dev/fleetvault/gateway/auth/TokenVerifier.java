package dev.fleetvault.gateway.auth;

import dev.fleetvault.gateway.config.AppSpec;
import dev.fleetvault.gateway.crypto.CryptoExecutor;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.FleetvaultException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies app tokens (PROTOCOL.md section 15): compact JWS, {@code alg} ES256, signed by one of
 * the issuing app's configured keys; {@code iss} names a configured app; {@code aud} is that app's
 * audience (a string, or an array holding it; default the fleet id); {@code sub} is the user id as
 * a string whose UTF-8 encoding is 1-128 bytes (any characters; compared with {@code user_id} byte
 * for byte, never normalised); {@code iat} and {@code exp} are required, {@code iat} not in the
 * future and {@code exp} not in the past (30 s leeway each), and {@code exp - iat} at most the
 * app's maximum lifetime (default 24 h); an {@code nbf}, if present, a number not more than 30 s in
 * the future. Anything else fails with {@link ErrorCode#UNAUTHENTICATED}, before the signature is
 * checked and before anything is remembered. The signature (the 64-byte {@code R || S} of ES256) is
 * checked with {@link AppTokenKeys} (Bouncy Castle, the app's keys parsed once, precomputed
 * multiples kept per key) on the node's {@link CryptoExecutor}, never on the event loop; a token
 * already verified on this node is answered from {@link VerifiedTokens} until its {@code exp}.
 */
public final class TokenVerifier {
  /** Longest token accepted. */
  public static final int MAX_TOKEN_CHARS = 4096;

  /** Leeway on {@code iat} and {@code exp}, seconds. */
  public static final long LEEWAY_SECONDS = 30;

  private final Map<String, AppTokenKeys> byIssuer = new HashMap<>();
  private final Map<String, AppSpec> apps = new HashMap<>();
  private final java.time.Clock clock;
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
  public TokenVerifier(
      Vertx vertx, List<AppSpec> apps, CryptoExecutor crypto, VerifiedTokens verified) {
    this(vertx, apps, crypto, verified, java.time.Clock.systemUTC());
  }

  /**
   * @param vertx the node's Vert.x (unused: kept so callers need not change)
   * @param apps the configured apps
   * @param crypto the worker pool signatures are verified on
   * @param verified the cache of tokens this node verified
   * @param clock the time {@code iat}/{@code exp} are checked against
   * @throws IllegalArgumentException if an app's key is not a P-256 public key PEM
   */
  public TokenVerifier(
      Vertx vertx,
      List<AppSpec> apps,
      CryptoExecutor crypto,
      VerifiedTokens verified,
      java.time.Clock clock) {
    this.crypto = crypto;
    this.verified = verified;
    this.clock = clock;
    for (AppSpec app : apps) {
      this.apps.put(app.id(), app);
      byIssuer.put(app.id(), AppTokenKeys.fromPems(app.id(), app.publicKeyPems()));
    }
  }

  /** Verifies a bare token or an {@code Authorization} value ("Bearer ..."). */
  public Future<Caller> verify(String token) {
    if (token == null || token.isEmpty()) {
      return fail(
          "a token is required (gRPC metadata 'authorization: Bearer <jws>', or WsRequest.token)");
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
      header = new JsonObject(strictUtf8(Base64.getUrlDecoder().decode(parts[0])));
      claims = new JsonObject(strictUtf8(Base64.getUrlDecoder().decode(parts[1])));
    } catch (IllegalArgumentException
        | DecodeException
        | java.nio.charset.CharacterCodingException e) {
      return fail("token is not a compact JWS");
    }
    if (!"ES256".equals(header.getValue("alg"))) {
      return fail("token must be signed with ES256");
    }
    Object iss = claims.getValue("iss");
    AppTokenKeys keys = iss instanceof String ? byIssuer.get(iss) : null;
    if (keys == null) {
      return fail("token issuer is not a configured app");
    }
    AppSpec app = apps.get((String) iss);
    if (!audienceMatches(claims.getValue("aud"), app.audience())) {
      return fail("token audience ('aud') must name this fleet's audience");
    }
    if (!(claims.getValue("exp") instanceof Number)) {
      return fail("token has no expiry ('exp')");
    }
    if (!(claims.getValue("iat") instanceof Number)) {
      return fail("token has no issue time ('iat')");
    }
    long exp = ((Number) claims.getValue("exp")).longValue();
    long iat = ((Number) claims.getValue("iat")).longValue();
    long now = clock.instant().getEpochSecond();
    if (iat > now + LEEWAY_SECONDS) {
      return fail("token issued in the future ('iat')");
    }
    if (exp < iat || exp - iat > app.maxTokenLifetimeSeconds()) {
      return fail(
          "token lifetime (exp - iat) is longer than this fleet accepts ("
              + app.maxTokenLifetimeSeconds()
              + " s)");
    }
    if (exp + LEEWAY_SECONDS < now) {
      return fail("token expired");
    }
    Object nbf = claims.getValue("nbf");
    if (nbf != null
        && (!(nbf instanceof Number) || ((Number) nbf).longValue() > now + LEEWAY_SECONDS)) {
      return fail("token not valid yet ('nbf')");
    }
    Object sub = claims.getValue("sub");
    if (!(sub instanceof String) || !validUserId((String) sub)) {
      return fail("token subject ('sub') must be a string of 1-128 UTF-8 bytes");
    }
    String appId = (String) iss;
    String userId = (String) sub;
    String verifiedToken = token;
    byte[] signingInput =
        token
            .substring(0, parts[0].length() + 1 + parts[1].length())
            .getBytes(StandardCharsets.US_ASCII);
    byte[] signature;
    try {
      signature = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      return fail("token is not a compact JWS");
    }
    // the signature check is CPU work: on the crypto pool, never on the event loop
    return crypto
        .run("jwt", () -> keys.verify(signingInput, signature))
        .recover(e -> Future.succeededFuture(false))
        .compose(
            ok -> {
              if (!ok) {
                return fail("token rejected: bad signature");
              }
              Caller caller = new Caller(appId, userId, exp);
              verified.remember(verifiedToken, caller);
              return Future.succeededFuture(caller);
            });
  }

  /** {@code aud} is the audience itself, or an array of strings holding it (RFC 7519 4.1.3). */
  static boolean audienceMatches(Object aud, String audience) {
    if (aud instanceof String) {
      return aud.equals(audience);
    }
    if (aud instanceof io.vertx.core.json.JsonArray) {
      for (Object o : (io.vertx.core.json.JsonArray) aud) {
        if (audience.equals(o)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A user id as a token carries it: a string of 1-128 UTF-8 bytes (PROTOCOL.md section 3.1),
   * well-formed (no lone surrogate, so its UTF-8 bytes are exact).
   */
  public static boolean validUserId(String sub) {
    if (sub.isEmpty()) {
      return false;
    }
    java.nio.charset.CharsetEncoder enc =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    try {
      int len = enc.encode(java.nio.CharBuffer.wrap(sub)).remaining();
      return len >= 1 && len <= dev.fleetvault.protocol.wire.WireLimits.MAX_USER_ID;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  private static String strictUtf8(byte[] b) throws java.nio.charset.CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
        .decode(java.nio.ByteBuffer.wrap(b))
        .toString();
  }

  private static <T> Future<T> fail(String message) {
    return Future.failedFuture(new FleetvaultException(ErrorCode.UNAUTHENTICATED, message));
  }
}
