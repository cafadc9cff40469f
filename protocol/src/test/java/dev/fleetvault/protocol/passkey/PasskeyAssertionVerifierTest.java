package dev.fleetvault.protocol.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fleetvault.protocol.wire.PasskeyAssertion;
import dev.fleetvault.protocol.wire.PasskeyCredential;
import dev.fleetvault.protocol.wire.PasskeyRecord;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The member-side WebAuthn check (PROTOCOL.md 21.6) against assertions made by a software
 * authenticator built from the JDK alone (it shares no code with webauthn4j).
 */
class PasskeyAssertionVerifierTest {
  private static final String RP = "app.example";
  private static final String ORIGIN = "https://app.example";
  private final SecureRandom random = new SecureRandom();
  private final PasskeyAssertionVerifier verifier = PasskeyAssertionVerifier.webauthn4j();
  private final SoftwareAuthenticator auth = new SoftwareAuthenticator(RP, ORIGIN, random);

  private PasskeyRecord record(SoftwareAuthenticator a) {
    return PasskeyRecord.newBuilder()
        .setCredentialId(ByteString.copyFrom(a.credentialId()))
        .setCosePublicKey(ByteString.copyFrom(verifier.coseKey(a.credential())))
        .setRpId(RP)
        .addAllowedOrigins(ORIGIN)
        .addAllowedOrigins("https://other.example")
        .setUserHandle(ByteString.copyFrom(a.userHandle()))
        .build();
  }

  private byte[] challenge() {
    byte[] c = new byte[32];
    random.nextBytes(c);
    return c;
  }

  @Test
  void verify_honestAssertion_accepted() {
    byte[] c = challenge();
    assertThatCode(() -> verifier.verify(record(auth), auth.assertion(c), c))
        .doesNotThrowAnyException();
    // without a user handle (a non-discoverable credential) too
    PasskeyAssertion noHandle = auth.assertion(c).toBuilder().clearUserHandle().build();
    assertThatCode(() -> verifier.verify(record(auth), noHandle, c)).doesNotThrowAnyException();
  }

  @Test
  void verify_eachBrokenPart_refused() {
    byte[] c = challenge();
    PasskeyRecord rec = record(auth);
    SoftwareAuthenticator other = new SoftwareAuthenticator(RP, ORIGIN, random);
    PasskeyAssertion good = auth.assertion(c);
    byte[] sig = good.getSignature().toByteArray();
    sig[sig.length - 1] ^= 1;
    byte[] otherHandle = auth.userHandle();
    otherHandle[0] ^= 1;
    Map<String, PasskeyAssertion> bad = new LinkedHashMap<>();
    bad.put("another credential", other.assertion(c));
    bad.put(
        "another key under this credential id",
        other.assertion(c).toBuilder()
            .setCredentialId(ByteString.copyFrom(auth.credentialId()))
            .setUserHandle(good.getUserHandle())
            .build());
    bad.put(
        "wrong rp id",
        auth.assertion(
            c,
            "evil.example",
            ORIGIN,
            SoftwareAuthenticator.UP | SoftwareAuthenticator.UV,
            "webauthn.get",
            false));
    bad.put(
        "wrong origin",
        auth.assertion(
            c,
            RP,
            "https://evil.example",
            SoftwareAuthenticator.UP | SoftwareAuthenticator.UV,
            "webauthn.get",
            false));
    bad.put(
        "UP missing",
        auth.assertion(c, RP, ORIGIN, SoftwareAuthenticator.UV, "webauthn.get", false));
    bad.put(
        "UV missing",
        auth.assertion(c, RP, ORIGIN, SoftwareAuthenticator.UP, "webauthn.get", false));
    bad.put("another challenge", auth.assertion(challenge()));
    bad.put(
        "a registration's client data",
        auth.assertion(
            c,
            RP,
            ORIGIN,
            SoftwareAuthenticator.UP | SoftwareAuthenticator.UV,
            "webauthn.create",
            false));
    bad.put(
        "cross-origin",
        auth.assertion(
            c,
            RP,
            ORIGIN,
            SoftwareAuthenticator.UP | SoftwareAuthenticator.UV,
            "webauthn.get",
            true));
    bad.put("tampered signature", good.toBuilder().setSignature(ByteString.copyFrom(sig)).build());
    bad.put(
        "another user handle",
        good.toBuilder().setUserHandle(ByteString.copyFrom(otherHandle)).build());
    bad.put(
        "garbage client data",
        good.toBuilder().setClientDataJson(ByteString.copyFromUtf8("{not json")).build());
    bad.put("no assertion", PasskeyAssertion.getDefaultInstance());
    List<String> accepted = new ArrayList<>();
    for (Map.Entry<String, PasskeyAssertion> e : bad.entrySet()) {
      try {
        verifier.verify(rec, e.getValue(), c);
        accepted.add(e.getKey());
      } catch (PasskeyRefusedException expected) {
        assertThat(expected.getMessage()).as(e.getKey()).isNotBlank();
      }
    }
    assertThat(accepted).as("assertions that should have been refused").isEmpty();
  }

  @Test
  void coseKey_spkiAndCoseForms_sameKeyAndOtherAlgorithmsRefused() throws Exception {
    byte[] fromSpki = verifier.coseKey(auth.credential());
    PasskeyCredential asCose =
        auth.credential().toBuilder()
            .clearSpkiPublicKey()
            .clearPublicKeyAlgorithm()
            .setCosePublicKey(ByteString.copyFrom(fromSpki))
            .build();
    assertThat(verifier.coseKey(asCose)).isEqualTo(fromSpki);

    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    byte[] p384 = g.generateKeyPair().getPublic().getEncoded();
    KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
    r.initialize(1024);
    byte[] rsa1024 = r.generateKeyPair().getPublic().getEncoded();
    List<PasskeyCredential> refused =
        List.of(
            auth.credential().toBuilder().setSpkiPublicKey(ByteString.copyFrom(p384)).build(),
            auth.credential().toBuilder()
                .setSpkiPublicKey(ByteString.copyFrom(rsa1024))
                .setPublicKeyAlgorithm(-257)
                .build(),
            auth.credential().toBuilder().setPublicKeyAlgorithm(-8).build(),
            auth.credential().toBuilder().setPublicKeyAlgorithm(-35).build(),
            auth.credential().toBuilder().setCosePublicKey(ByteString.copyFrom(fromSpki)).build(),
            asCose.toBuilder()
                .setCosePublicKey(ByteString.copyFromUtf8("not cbor at all"))
                .build());
    for (PasskeyCredential bad : refused) {
      assertThatThrownBy(() -> verifier.coseKey(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
