package dev.fleetvault.protocol.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;

class EcdhTest {

  @Test
  void sharedSecretX_matchesJdkEcdh() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair a = g.generateKeyPair();
    KeyPair b = g.generateKeyPair();
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(a.getPrivate());
    ka.doPhase(b.getPublic(), true);
    byte[] jdk = ka.generateSecret();
    Scalar skA = Scalar.of(((ECPrivateKey) a.getPrivate()).getS());
    assertThat(Ecdh.sharedSecretX(skA, Ecdh.fromJca(b.getPublic()))).isEqualTo(jdk);
  }

  @Test
  void encodeSpki_roundTripsAndMatchesJdkEncoding() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair a = g.generateKeyPair();
    GroupElement pub = Ecdh.fromJca(a.getPublic());
    assertThat(Ecdh.encodeSpki(pub)).isEqualTo(a.getPublic().getEncoded());
  }

  @Test
  void decodeSpki_truncatedOrTrailingBytes_rejected() {
    byte[] spki = Ecdh.encodeSpki(GroupElement.multiplyGenerator(Scalar.ofLong(5)));
    assertThatThrownBy(() -> Ecdh.decodeSpki(Arrays.copyOf(spki, spki.length - 1)))
        .isInstanceOf(InvalidEncodingException.class);
    assertThatThrownBy(() -> Ecdh.decodeSpki(Arrays.copyOf(spki, spki.length + 1)))
        .isInstanceOf(InvalidEncodingException.class);
    assertThatThrownBy(() -> Ecdh.decodeSpki(new byte[0]))
        .isInstanceOf(InvalidEncodingException.class);
  }
}
