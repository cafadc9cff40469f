package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import dev.fleetvault.client.TransportKind;
import dev.fleetvault.client.passkey.Authenticator;
import dev.fleetvault.client.passkey.PasskeyAssertionInfo;
import dev.fleetvault.client.passkey.PasskeyCredentialInfo;
import dev.fleetvault.protocol.passkey.SoftwareAuthenticator;
import dev.fleetvault.protocol.wire.PasskeyAssertion;
import dev.fleetvault.protocol.wire.PasskeyCredential;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The SDK's passkey operations (PROTOCOL.md 21.1, 21.9) against a real 3-node fleet: add a passkey
 * to a PIN-protected backup, recover with either, remove the passkey.
 */
@Tag("process")
class PasskeySdkTest {
  private static final byte[] SECRET = "passkey sdk secret".getBytes(StandardCharsets.UTF_8);
  private TestFleet fleet;

  @BeforeEach
  void startFleet() throws Exception {
    fleet = TestFleet.start(TestDirs.fresh("passkey-sdk"), Ports.freeBlock(Ports.FLEET_BLOCK));
  }

  @AfterEach
  void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  /**
   * The SDK's Authenticator over the test software authenticator (what an app does over its
   * platform API).
   */
  private static Authenticator over(SoftwareAuthenticator a) {
    return new Authenticator() {
      @Override
      public PasskeyCredentialInfo credential() {
        PasskeyCredential c = a.credential();
        return new PasskeyCredentialInfo(
            c.getCredentialId().toByteArray(),
            c.getSpkiPublicKey().toByteArray(),
            c.getPublicKeyAlgorithm(),
            c.getUserHandle().toByteArray());
      }

      @Override
      public byte[] prf(byte[] salt) {
        return a.prf(salt);
      }

      @Override
      public PasskeyAssertionInfo assertion(byte[] challenge, byte[] credentialId, String rpId) {
        assertThat(rpId).isEqualTo(a.rpId());
        PasskeyAssertion s = a.assertion(challenge);
        return new PasskeyAssertionInfo(
            s.getCredentialId().toByteArray(),
            s.getAuthenticatorData().toByteArray(),
            s.getClientDataJson().toByteArray(),
            s.getSignature().toByteArray(),
            s.getUserHandle().toByteArray());
      }
    };
  }

  private static byte[] recovered(RecoverResult r) {
    assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
    try (BackupSecret s = ((RecoverResult.Recovered) r).secret()) {
      return s.copyBytes();
    }
  }

  @Test
  void addPasskey_thenEitherRecovers_thenRemovePasskey_pinStillRecovers() throws Exception {
    SoftwareAuthenticator sw =
        new SoftwareAuthenticator("app.example", "https://app.example", new SecureRandom());
    Authenticator auth = over(sw);
    try (FleetvaultClient c = fleet.client(TransportKind.GRPC);
        Pin pin = Pin.of("2468".toCharArray());
        BackupSecret secret = BackupSecret.copyOf(SECRET)) {
      assertThat(c.blocking().register("pk-user", pin, secret, 5))
          .isInstanceOf(RegisterResult.Registered.class);
      try (Pin wrong = Pin.of("0000".toCharArray())) {
        assertThat(c.blocking().addPasskey("pk-user", wrong, auth, 5))
            .isEqualTo(new RegisterResult.NotUnlocked(new RecoverResult.WrongPin(4)));
      }
      assertThat(c.blocking().addPasskey("pk-user", pin, auth, 5))
          .isInstanceOf(RegisterResult.Registered.class);
      assertThat(recovered(c.blocking().recoverWithPasskey("pk-user", auth))).isEqualTo(SECRET);
      assertThat(recovered(c.blocking().recover("pk-user", pin))).isEqualTo(SECRET);
      // a passkey that is not the registered one: refused by the members, nothing counted
      Authenticator other =
          over(new SoftwareAuthenticator("app.example", "https://app.example", new SecureRandom()));
      Authenticator stolenPrfOnly =
          new Authenticator() {
            @Override
            public PasskeyCredentialInfo credential() {
              return auth.credential();
            }

            @Override
            public byte[] prf(byte[] salt) {
              return auth.prf(salt);
            }

            @Override
            public PasskeyAssertionInfo assertion(
                byte[] challenge, byte[] credentialId, String rpId) {
              return other.assertion(challenge, credentialId, rpId);
            }
          };
      assertThat(c.blocking().recoverWithPasskey("pk-user", stolenPrfOnly))
          .isEqualTo(new RecoverResult.PasskeyRefused(5));
      assertThat(c.blocking().removePasskey("pk-user"))
          .isInstanceOf(dev.fleetvault.client.DeleteResult.Deleted.class);
      assertThat(c.blocking().recoverWithPasskey("pk-user", auth))
          .isInstanceOf(RecoverResult.NotRegistered.class);
      assertThat(recovered(c.blocking().recover("pk-user", pin))).isEqualTo(SECRET);
    }
  }
}
