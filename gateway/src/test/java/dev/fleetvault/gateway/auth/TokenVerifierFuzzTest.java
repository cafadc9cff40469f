package dev.fleetvault.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fleetvault.gateway.config.AppSpec;
import dev.fleetvault.gateway.crypto.CryptoExecutor;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.gateway.support.TestFleet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target: {@link TokenVerifier#verify} on the token string a client sends (gRPC {@code
 * authorization} metadata or {@code WsRequest.token}): Bearer prefix, compact-JWS split, base64url,
 * strict UTF-8, JSON header and claims, the claim checks, then the signature.
 *
 * <p>Input: the bytes as UTF-8 (lossy, as a header value arrives). Property: the returned future
 * completes within 10 s, either with a caller whose user id is a valid one, or failed with a {@link
 * FleetvaultException} of code {@code UNAUTHENTICATED} — never another exception type, never thrown
 * synchronously. The clock is fixed at the time the committed sample tokens were issued, so their
 * claims pass and the signature check runs.
 */
class TokenVerifierFuzzTest {
  /** When the committed sample tokens were issued (iat). */
  static final Instant SAMPLE_TIME = Instant.ofEpochSecond(1_796_000_000L);

  static Vertx vertx;
  static CryptoExecutor crypto;
  static TokenVerifier verifier;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    crypto = new CryptoExecutor(vertx, "fleetvault-crypto-token-fuzz", 1);
    String pub =
        Files.readString(
            TestFleet.repo().resolve("config/dev-app-jwt.DEVELOPMENT-ONLY.pub.pem"),
            StandardCharsets.US_ASCII);
    verifier =
        new TokenVerifier(
            vertx,
            List.of(new AppSpec("dev-app", List.of(), List.of(pub), "test-fleet", 24 * 3600)),
            crypto,
            new VerifiedTokens(16),
            Clock.fixed(SAMPLE_TIME.plusSeconds(60), ZoneOffset.UTC));
  }

  @AfterAll
  static void stop() throws Exception {
    crypto.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @FuzzTest
  void verify_anyToken(byte[] data) throws Exception {
    String token = new String(data, StandardCharsets.UTF_8);
    Future<Caller> f = verifier.verify(token);
    try {
      Caller c = f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(TokenVerifier.validUserId(c.userId())).isTrue();
      assertThat(c.appId()).isEqualTo("dev-app");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(FleetvaultException.class);
      assertThat(((FleetvaultException) e.getCause()).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }
  }
}
