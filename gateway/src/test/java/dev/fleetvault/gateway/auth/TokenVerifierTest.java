package dev.fleetvault.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.config.AppSpec;
import dev.fleetvault.gateway.crypto.CryptoExecutor;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.gateway.support.TestFleet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token verification with the development app key, including the verified-token cache. */
class TokenVerifierTest {
  private Vertx vertx;
  private CryptoExecutor crypto;
  private JWTAuth signer;
  private VerifiedTokens cache;
  private TokenVerifier verifier;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    crypto = new CryptoExecutor(vertx, "fleetvault-crypto-token-test", 1);
    var config = TestFleet.repo().resolve("config");
    String priv =
        Files.readString(
            config.resolve("dev-app-jwt.DEVELOPMENT-ONLY.key.pem"), StandardCharsets.US_ASCII);
    String pub =
        Files.readString(
            config.resolve("dev-app-jwt.DEVELOPMENT-ONLY.pub.pem"), StandardCharsets.US_ASCII);
    signer =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(priv)));
    cache = new VerifiedTokens(100);
    verifier =
        new TokenVerifier(
            vertx,
            List.of(new AppSpec("dev-app", List.of(), List.of(pub), "test-fleet", 24 * 3600)),
            crypto,
            cache);
  }

  @AfterEach
  void tearDown() throws Exception {
    crypto.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private String token(String user, int seconds) {
    return signer.generateToken(
        new JsonObject().put("sub", user).put("iss", "dev-app"),
        new JWTOptions()
            .setAlgorithm("ES256")
            .setExpiresInSeconds(seconds)
            .setAudience(List.of("test-fleet")));
  }

  /** A token with exactly these claims (no defaults added). */
  private String raw(JsonObject claims) {
    return signer.generateToken(
        claims, new JWTOptions().setAlgorithm("ES256").setNoTimestamp(true));
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String failure(Future<?> f) throws Exception {
    try {
      await(f);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(FleetvaultException.class);
      return e.getCause().getMessage();
    }
  }

  @Test
  void verify_validTokenTwice_sameCallerAndRememberedOnce() throws Exception {
    String t = token("ann", 300);
    Caller first = await(verifier.verify("Bearer " + t));
    assertThat(first.userId()).isEqualTo("ann");
    assertThat(first.appId()).isEqualTo("dev-app");
    assertThat(cache.size()).isEqualTo(1);
    assertThat(await(verifier.verify(t))).isEqualTo(first);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void verify_tamperedSignature_refusedAndNotRemembered() throws Exception {
    String t = token("ann", 300);
    char last = t.charAt(t.length() - 2);
    String tampered =
        t.substring(0, t.length() - 2) + (last == 'A' ? 'B' : 'A') + t.charAt(t.length() - 1);
    assertThat(failure(verifier.verify(tampered))).contains("token rejected");
    assertThat(cache.size()).isZero();
  }

  @Test
  void verify_rememberedTokenWithOtherClaims_stillVerified() throws Exception {
    String t = token("ann", 300);
    await(verifier.verify(t));
    String[] p = t.split("\\.");
    String forgedClaims =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new JsonObject()
                    .put("sub", "bob")
                    .put("iss", "dev-app")
                    .put("aud", "test-fleet")
                    .put("iat", now())
                    .put("exp", now() + 300)
                    .encode()
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(failure(verifier.verify(p[0] + "." + forgedClaims + "." + p[2])))
        .contains("token rejected");
  }

  @Test
  void verify_notBeforeInTheFutureOrNotANumber_refused() throws Exception {
    long now = now();
    JsonObject base =
        new JsonObject()
            .put("sub", "ann")
            .put("iss", "dev-app")
            .put("aud", "test-fleet")
            .put("iat", now)
            .put("exp", now + 300);
    assertThat(failure(verifier.verify(raw(base.copy().put("nbf", now + 120))))).contains("nbf");
    assertThat(failure(verifier.verify(raw(base.copy().put("nbf", "soon"))))).contains("nbf");
    assertThat(cache.size()).isZero();
    assertThat(await(verifier.verify(raw(base.copy().put("nbf", now + 10)))).userId())
        .isEqualTo("ann");
  }

  @Test
  void verify_signatureOfOtherKeyOrInDer_refused() throws Exception {
    String good = token("ann", 300);
    String[] p = good.split("\\.");
    byte[] sig = java.util.Base64.getUrlDecoder().decode(p[2]);
    // the same R || S wrapped as DER (what the JDK's SHA256withECDSA emits) is not ES256
    byte[] der =
        new org.bouncycastle.asn1.DERSequence(
                new org.bouncycastle.asn1.ASN1Encodable[] {
                  new org.bouncycastle.asn1.ASN1Integer(
                      new java.math.BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, 32))),
                  new org.bouncycastle.asn1.ASN1Integer(
                      new java.math.BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64)))
                })
            .getEncoded();
    String enc = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(der);
    assertThat(failure(verifier.verify(p[0] + "." + p[1] + "." + enc))).contains("signature");
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.KeyPair other = g.generateKeyPair();
    java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initSign(other.getPrivate());
    s.update((p[0] + "." + p[1]).getBytes(StandardCharsets.US_ASCII));
    String forged =
        p[0]
            + "."
            + p[1]
            + "."
            + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    assertThat(failure(verifier.verify(forged))).contains("signature");
    assertThat(cache.size()).isZero();
    assertThat(await(verifier.verify(good)).userId()).isEqualTo("ann");
  }

  @Test
  void verify_expiredToken_refused() throws Exception {
    long past = System.currentTimeMillis() / 1000 - 120; // beyond the 30 s leeway
    String t =
        raw(
            new JsonObject()
                .put("sub", "ann")
                .put("iss", "dev-app")
                .put("aud", "test-fleet")
                .put("iat", past - 60)
                .put("exp", past));
    assertThat(failure(verifier.verify(t))).contains("expired");
    assertThat(cache.size()).isZero();
  }

  @Test
  void verify_wrongOrMissingAudience_refused() throws Exception {
    JsonObject base =
        new JsonObject()
            .put("sub", "ann")
            .put("iss", "dev-app")
            .put("iat", now())
            .put("exp", now() + 300);
    assertThat(failure(verifier.verify(raw(base.copy())))).contains("audience");
    assertThat(failure(verifier.verify(raw(base.copy().put("aud", "other-fleet")))))
        .contains("audience");
    assertThat(
            failure(
                verifier.verify(
                    raw(
                        base.copy()
                            .put("aud", new io.vertx.core.json.JsonArray().add("a").add("b"))))))
        .contains("audience");
    assertThat(
            await(
                verifier.verify(
                    raw(
                        base.copy()
                            .put(
                                "aud",
                                new io.vertx.core.json.JsonArray()
                                    .add("other")
                                    .add("test-fleet"))))))
        .isNotNull();
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void verify_twentyYearToken_refusedAndNeverRemembered() throws Exception {
    long now = now();
    String t =
        raw(
            new JsonObject()
                .put("sub", "ann")
                .put("iss", "dev-app")
                .put("aud", "test-fleet")
                .put("iat", now)
                .put("exp", now + 20L * 365 * 24 * 3600));
    assertThat(failure(verifier.verify(t))).contains("lifetime");
    assertThat(failure(verifier.verify(t))).contains("lifetime");
    assertThat(cache.size()).isZero();
    // no iat: lifetime unknown, refused; iat in the future (to stretch exp): refused
    assertThat(
            failure(
                verifier.verify(
                    raw(
                        new JsonObject()
                            .put("sub", "ann")
                            .put("iss", "dev-app")
                            .put("aud", "test-fleet")
                            .put("exp", now + 300)))))
        .contains("iat");
    assertThat(
            failure(
                verifier.verify(
                    raw(
                        new JsonObject()
                            .put("sub", "ann")
                            .put("iss", "dev-app")
                            .put("aud", "test-fleet")
                            .put("iat", now + 10 * 24 * 3600)
                            .put("exp", now + 10 * 24 * 3600 + 60)))))
        .contains("future");
    // exactly the maximum is accepted
    assertThat(
            await(
                verifier.verify(
                    raw(
                        new JsonObject()
                            .put("sub", "ann")
                            .put("iss", "dev-app")
                            .put("aud", "test-fleet")
                            .put("iat", now)
                            .put("exp", now + 24 * 3600)))))
        .isNotNull();
  }

  @Test
  void verify_utf8UserIds_acceptedAsTheyAre() throws Exception {
    assertThat(await(verifier.verify(token("jos\u00e9", 300))).userId()).isEqualTo("jos\u00e9");
    assertThat(await(verifier.verify(token("a b", 300))).userId()).isEqualTo("a b");
    String max = "\u00e9".repeat(64); // 128 UTF-8 bytes
    assertThat(await(verifier.verify(token(max, 300))).userId()).isEqualTo(max);
    assertThat(failure(verifier.verify(token(max + "x", 300)))).contains("128 UTF-8 bytes");
    assertThat(failure(verifier.verify(token("x".repeat(129), 300)))).contains("128 UTF-8 bytes");
    assertThat(failure(verifier.verify(token("", 300)))).contains("128 UTF-8 bytes");
    // a lone surrogate (JSON escape) has no exact UTF-8 bytes: refused before the signature
    String[] p = token("ann", 300).split("\\.");
    String lone =
        "{\"sub\":\"\\ud800\",\"iss\":\"dev-app\",\"aud\":\"test-fleet\",\"iat\":"
            + now()
            + ",\"exp\":"
            + (now() + 300)
            + "}";
    String claims =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(lone.getBytes(StandardCharsets.UTF_8));
    assertThat(failure(verifier.verify(p[0] + "." + claims + "." + p[2]))).contains("UTF-8");
  }
}
