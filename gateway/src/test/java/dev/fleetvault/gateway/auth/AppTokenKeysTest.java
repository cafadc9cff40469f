package dev.fleetvault.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppTokenKeysTest {
  private static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static String pem(KeyPair k) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(k.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** An ES256 (P1363, 64-byte R || S) signature made by the JDK, independent of the verifier. */
  private static byte[] es256(KeyPair k, byte[] msg) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initSign(k.getPrivate());
    s.update(msg);
    return s.sign();
  }

  private static byte[] der(KeyPair k, byte[] msg) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(k.getPrivate());
    s.update(msg);
    return s.sign();
  }

  private static final byte[] MSG =
      "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0".getBytes(StandardCharsets.US_ASCII);

  @Test
  void verify_goodSignatureUnderAnyKey_accepted() throws Exception {
    KeyPair a = p256();
    KeyPair b = p256();
    AppTokenKeys keys = AppTokenKeys.fromPems("app", List.of(pem(a), pem(b)));
    assertThat(keys.size()).isEqualTo(2);
    assertThat(keys.verify(MSG, es256(a, MSG))).isTrue();
    assertThat(keys.verify(MSG, es256(b, MSG))).isTrue();
  }

  @Test
  void verify_badSignatureAfterManyGood_refused() throws Exception {
    KeyPair a = p256();
    AppTokenKeys keys = AppTokenKeys.fromPems("app", List.of(pem(a)));
    // enough verifications for Bouncy Castle to precompute and promote the key's tables
    for (int i = 0; i < 40; i++) {
      byte[] m = ("msg" + i).getBytes(StandardCharsets.US_ASCII);
      assertThat(keys.verify(m, es256(a, m))).isTrue();
    }
    byte[] good = es256(a, MSG);
    for (int bit = 0; bit < 512; bit += 7) {
      byte[] bad = good.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(keys.verify(MSG, bad)).as("bit %d flipped", bit).isFalse();
    }
    byte[] other = MSG.clone();
    other[other.length - 1] ^= 1;
    assertThat(keys.verify(other, good)).isFalse();
    assertThat(keys.verify(MSG, es256(p256(), MSG))).isFalse();
    assertThat(keys.verify(MSG, good)).isTrue();
  }

  @Test
  void verify_malformedSignatures_refusedNeverThrow() throws Exception {
    KeyPair a = p256();
    AppTokenKeys keys = AppTokenKeys.fromPems("app", List.of(pem(a)));
    byte[] good = es256(a, MSG);
    assertThat(keys.verify(MSG, der(a, MSG))).isFalse(); // DER is not the JWS form
    assertThat(keys.verify(MSG, Arrays.copyOf(good, 63))).isFalse();
    assertThat(keys.verify(MSG, Arrays.copyOf(good, 65))).isFalse();
    assertThat(keys.verify(MSG, new byte[0])).isFalse();
    assertThat(keys.verify(MSG, null)).isFalse();
    assertThat(keys.verify(MSG, new byte[64])).isFalse(); // r = s = 0
    byte[] n =
        unsigned32(
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16));
    byte[] rIsN = good.clone();
    System.arraycopy(n, 0, rIsN, 0, 32);
    assertThat(keys.verify(MSG, rIsN)).isFalse();
    byte[] sIsN = good.clone();
    System.arraycopy(n, 0, sIsN, 32, 32);
    assertThat(keys.verify(MSG, sIsN)).isFalse();
  }

  @Test
  void fromPems_notP256_refusedAtConstruction() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair p384 = g.generateKeyPair();
    assertThatThrownBy(() -> AppTokenKeys.fromPems("app", List.of(pem(p384))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("app 'app'");
    assertThatThrownBy(() -> AppTokenKeys.fromPems("app", List.of("not a pem")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AppTokenKeys.fromPems("app", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] unsigned32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, 32 - len, len);
    return out;
  }
}
