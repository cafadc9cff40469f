package dev.fleetvault.protocol.sig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EcdsaP256Test {
  private static final byte[] MSG = "register alice v1".getBytes(StandardCharsets.US_ASCII);

  @Test
  void sign_thenVerify_trueAndDeterministic() {
    Scalar sk = Scalar.random(new SecureRandom());
    byte[] sig = EcdsaP256.sign(sk, MSG);
    assertThat(EcdsaP256.verify(EcdsaP256.publicKey(sk), MSG, sig)).isTrue();
    assertThat(EcdsaP256.sign(sk, MSG)).isEqualTo(sig);
  }

  @Test
  void verify_otherMessageKeyOrTamperedSignature_false() {
    Scalar sk = Scalar.random(new SecureRandom());
    byte[] sig = EcdsaP256.sign(sk, MSG);
    GroupElement pub = EcdsaP256.publicKey(sk);
    assertThat(EcdsaP256.verify(pub, "other".getBytes(StandardCharsets.US_ASCII), sig)).isFalse();
    assertThat(EcdsaP256.verify(EcdsaP256.publicKey(Scalar.random(new SecureRandom())), MSG, sig))
        .isFalse();
    byte[] t = sig.clone();
    t[t.length - 1] ^= 1;
    assertThat(EcdsaP256.verify(pub, MSG, t)).isFalse();
    assertThat(EcdsaP256.verify(pub, MSG, Arrays.copyOf(sig, sig.length + 1))).isFalse();
    assertThat(EcdsaP256.verify(pub, MSG, Arrays.copyOf(sig, sig.length - 1))).isFalse();
    assertThat(EcdsaP256.verify(pub, MSG, new byte[0])).isFalse();
    assertThat(EcdsaP256.verify(pub, MSG, null)).isFalse();
  }

  @Test
  void verifyRaw_jdkP1363Signature_trueAndSameKeyRefusesTamperedAfterManyGood() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    GroupElement key = Ecdh.fromJca(kp.getPublic());
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initSign(kp.getPrivate());
    for (int i = 0; i < 30; i++) {
      // the same key instance each time: Bouncy Castle precomputes and promotes its tables
      byte[] m = ("m" + i).getBytes(StandardCharsets.US_ASCII);
      s.update(m);
      assertThat(EcdsaP256.verifyRaw(key, m, s.sign())).isTrue();
    }
    s.update(MSG);
    byte[] raw = s.sign();
    assertThat(EcdsaP256.verifyRaw(key, MSG, raw)).isTrue();
    for (int i = 0; i < 64; i++) {
      byte[] bad = raw.clone();
      bad[i] ^= 0x01;
      assertThat(EcdsaP256.verifyRaw(key, MSG, bad)).isFalse();
    }
    assertThat(EcdsaP256.verifyRaw(key, MSG, Arrays.copyOf(raw, 63))).isFalse();
    assertThat(EcdsaP256.verifyRaw(key, MSG, Arrays.copyOf(raw, 65))).isFalse();
    assertThat(EcdsaP256.verifyRaw(key, MSG, new byte[64])).isFalse();
    assertThat(EcdsaP256.verifyRaw(key, MSG, null)).isFalse();
    assertThat(EcdsaP256.verifyRaw(key, MSG, raw)).isTrue();
  }

  @Test
  void verify_jdkSignature_trueAndJdkVerifiesOurs() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(kp.getPrivate());
    s.update(MSG);
    assertThat(EcdsaP256.verify(Ecdh.fromJca(kp.getPublic()), MSG, s.sign())).isTrue();
    byte[] ours = EcdsaP256.sign(Scalar.of(((ECPrivateKey) kp.getPrivate()).getS()), MSG);
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(kp.getPublic());
    v.update(MSG);
    assertThat(v.verify(ours)).isTrue();
  }

  @Test
  void verify_jcaKey_trueForP256AndFalseForOtherOrMissingKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(kp.getPrivate());
    s.update(MSG);
    byte[] sig = s.sign();
    assertThat(EcdsaP256.verify(kp.getPublic(), MSG, sig)).isTrue();
    assertThat(EcdsaP256.verify(kp.getPublic(), MSG, Arrays.copyOf(sig, sig.length + 1))).isFalse();
    assertThat(EcdsaP256.verify((java.security.PublicKey) null, MSG, sig)).isFalse();
    KeyPairGenerator g384 = KeyPairGenerator.getInstance("EC");
    g384.initialize(new ECGenParameterSpec("secp384r1"));
    assertThat(EcdsaP256.verify(g384.generateKeyPair().getPublic(), MSG, sig)).isFalse();
  }
}
