package dev.fleetvault.gateway.member;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.gateway.support.EdgeError;
import dev.fleetvault.gateway.support.TestClient;
import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.protocol.flow.PasskeyAssertionSource;
import dev.fleetvault.protocol.flow.RecoverResult;
import dev.fleetvault.protocol.flow.RegisterResult;
import dev.fleetvault.protocol.passkey.PasskeyEntry;
import dev.fleetvault.protocol.passkey.SoftwareAuthenticator;
import dev.fleetvault.protocol.wire.PasskeyAssertion;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passkey entries through a real 3-member fleet on 127.0.0.1 (PROTOCOL.md 21): every member
 * verifies the WebAuthn assertion in its core before it commits an attempt, so a caller without the
 * passkey — holding the user's app token, as the operator does — spends and burns nothing. "Nothing
 * counted" is read from the members' own evaluation meters and from the guesses the members report
 * afterwards.
 */
@Tag("process")
class PasskeyGateTest {
  private static final byte[] SECRET = "a 32-byte backup key, for real!!".getBytes(UTF_8);
  private static final int UP_UV = SoftwareAuthenticator.UP | SoftwareAuthenticator.UV;

  @TempDir static Path dir;
  static TestFleet fleet;
  static Vertx vertx;
  static TestClient client;
  private final SecureRandom random = new SecureRandom();

  @BeforeAll
  static void start() throws Exception {
    fleet = TestFleet.start(dir.resolve("n3"), 3, TestFleet.TEST_REGISTRATION);
    vertx = Vertx.vertx();
    client = new TestClient(fleet.grpc(vertx, 0), fleet.realm(), fleet::token);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  private SoftwareAuthenticator authenticator() {
    return new SoftwareAuthenticator(TestFleet.PASSKEY_RP_ID, TestFleet.PASSKEY_ORIGIN, random);
  }

  private static byte[] recovered(RecoverResult r) {
    assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
    return ((RecoverResult.Recovered) r).secret().copy();
  }

  @Test
  void recoverPasskey_validAssertion_recovered() throws Exception {
    SoftwareAuthenticator auth = authenticator();
    assertThat(client.registerPasskey("valid", auth, SECRET, 5))
        .isInstanceOf(RegisterResult.Registered.class);
    long before = fleet.evaluations();
    assertThat(recovered(client.recoverPasskey("valid", auth, auth::assertion))).isEqualTo(SECRET);
    assertThat(fleet.evaluations() - before).isEqualTo(3);
  }

  @Test
  void recoverPasskey_refusedAssertions_passkeyRefusedAndNoAttemptCounted() throws Exception {
    SoftwareAuthenticator auth = authenticator();
    client.registerPasskey("refused", auth, SECRET, 5);
    SoftwareAuthenticator other = authenticator();
    List<PasskeyAssertion> earlier = new ArrayList<>();
    Map<String, PasskeyAssertionSource> attacks = new LinkedHashMap<>();
    attacks.put("another credential", other::assertion);
    attacks.put(
        "wrong rp id",
        c ->
            auth.assertion(
                c.challenge(),
                "evil.example",
                TestFleet.PASSKEY_ORIGIN,
                UP_UV,
                "webauthn.get",
                false));
    attacks.put(
        "wrong origin",
        c ->
            auth.assertion(
                c.challenge(),
                TestFleet.PASSKEY_RP_ID,
                "https://evil.example",
                UP_UV,
                "webauthn.get",
                false));
    attacks.put(
        "no user presence",
        c ->
            auth.assertion(
                c.challenge(),
                TestFleet.PASSKEY_RP_ID,
                TestFleet.PASSKEY_ORIGIN,
                SoftwareAuthenticator.UV,
                "webauthn.get",
                false));
    attacks.put(
        "no user verification",
        c ->
            auth.assertion(
                c.challenge(),
                TestFleet.PASSKEY_RP_ID,
                TestFleet.PASSKEY_ORIGIN,
                SoftwareAuthenticator.UP,
                "webauthn.get",
                false));
    attacks.put("assertion for another attempt", c -> auth.assertion(new byte[32]));
    attacks.put("replayed assertion of an earlier attempt", c -> earlier.get(0));
    // an earlier, successful recovery whose assertion the attacker keeps
    assertThat(
            recovered(
                client.recoverPasskey(
                    "refused",
                    auth,
                    c -> {
                      PasskeyAssertion a = auth.assertion(c);
                      earlier.add(a);
                      return a;
                    })))
        .isEqualTo(SECRET);
    long before = fleet.evaluations();
    for (Map.Entry<String, PasskeyAssertionSource> e : attacks.entrySet()) {
      // the attacker holds the user's app token and even the PRF output; only the passkey's
      // signature is missing
      assertThat(client.recoverPasskey("refused", auth, e.getValue()))
          .as(e.getKey())
          .isEqualTo(new RecoverResult.PasskeyRefused(5));
    }
    assertThat(fleet.evaluations()).as("no member evaluated anything").isEqualTo(before);
    // nothing was counted: the first guess with a wrong PRF output leaves 4 of 5
    assertThat(client.recoverPasskey("refused", other, auth::assertion))
        .isEqualTo(new RecoverResult.WrongPin(4));
  }

  @Test
  void pinAndPasskey_oneSecret_eitherRecoversThenPasskeyRemoved() throws Exception {
    SoftwareAuthenticator auth = authenticator();
    client.register("both", "1234", SECRET, 5);
    // add a passkey: recover with the PIN, register the secret on the passkey entry
    byte[] secret = recovered(client.recover("both", "1234"));
    client.registerPasskey("both", auth, secret, 5);
    assertThat(recovered(client.recoverPasskey("both", auth, auth::assertion))).isEqualTo(SECRET);
    assertThat(recovered(client.recover("both", "1234"))).isEqualTo(SECRET);
    // remove it: delete the passkey entry; the PIN entry stays
    assertThat(client.delete("both", PasskeyEntry.of("both".getBytes(UTF_8))).confirmed())
        .hasSize(3);
    assertThat(client.recoverPasskey("both", auth, auth::assertion))
        .isEqualTo(new RecoverResult.NotRegistered());
    assertThat(recovered(client.recover("both", "1234"))).isEqualTo(SECRET);
  }

  @Test
  void passkeyEntry_otherUsersToken_permissionDenied() throws Exception {
    SoftwareAuthenticator auth = authenticator();
    client.registerPasskey("carol", auth, SECRET, 5);
    TestClient mallory =
        new TestClient(fleet.grpc(vertx, 1), fleet.realm(), u -> fleet.token("mallory"));
    assertThatThrownBy(() -> mallory.recoverPasskey("carol", auth, auth::assertion))
        .isInstanceOf(EdgeError.class)
        .hasMessageContaining("permission_denied");
  }
}
