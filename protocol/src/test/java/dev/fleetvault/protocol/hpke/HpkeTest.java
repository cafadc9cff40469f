package dev.fleetvault.protocol.hpke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.InvalidEncodingException;
import dev.fleetvault.protocol.secret.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.junit.jupiter.api.Test;

class HpkeTest {
  private static final byte[] INFO = "fleetvault/v1 member 1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AAD = "recover1".getBytes(StandardCharsets.US_ASCII);
  private final SecureRandom rnd = new SecureRandom();
  private final byte[] payload = new byte[200];

  @Test
  void seal_thenOpenWithKeyAndFromDh_samePlaintext() throws Exception {
    rnd.nextBytes(payload);
    HpkeKeyPair r = HpkeKeyPair.generate(rnd);
    HpkeSealed s = Hpke.seal(r.publicKey(), INFO, AAD, payload, rnd);
    assertThat(s.ciphertext()).hasSize(200 + Hpke.TAG_LENGTH);
    assertThat(Hpke.open(r, INFO, AAD, s)).isEqualTo(payload);
    // the HSM path: ECDH done elsewhere, x-coordinate in
    byte[] dh = Ecdh.sharedSecretX(r.privateKey(), Hpke.parseEnc(s.enc()));
    try (HpkeRecipientContext ctx =
        Hpke.setupBaseRecipientFromDh(s.enc(), r.publicKey(), SecretBytes.wrap(dh), INFO)) {
      assertThat(ctx.open(AAD, s.ciphertext())).isEqualTo(payload);
    }
  }

  @Test
  void open_tamperedWrongAadWrongInfoOrWrongKey_badTag() {
    HpkeKeyPair r = HpkeKeyPair.generate(rnd);
    HpkeSealed s = Hpke.seal(r.publicKey(), INFO, AAD, payload, rnd);
    byte[] ct = s.ciphertext();
    ct[5] ^= 1;
    assertThatThrownBy(() -> Hpke.open(r, INFO, AAD, new HpkeSealed(s.enc(), ct)))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> Hpke.open(r, INFO, new byte[0], s))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> Hpke.open(r, new byte[0], AAD, s))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> Hpke.open(HpkeKeyPair.generate(rnd), INFO, AAD, s))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(
            () -> Hpke.open(r, INFO, AAD, new HpkeSealed(s.enc(), Arrays.copyOf(ct, 10))))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void parseEnc_badEncodings_rejectedBeforeAnyDh() {
    HpkeKeyPair r = HpkeKeyPair.generate(rnd);
    byte[] enc = Hpke.seal(r.publicKey(), INFO, AAD, payload, rnd).enc();
    byte[] offCurve = enc.clone();
    offCurve[64] ^= 1;
    byte[] compressed = r.publicKey().encodeCompressed();
    for (byte[] bad :
        new byte[][] {
          new byte[0],
          Arrays.copyOf(enc, 64),
          Arrays.copyOf(enc, 66),
          offCurve,
          compressed,
          new byte[65]
        }) {
      assertThatThrownBy(() -> Hpke.parseEnc(bad)).isInstanceOf(InvalidEncodingException.class);
      assertThatThrownBy(() -> Hpke.setupBaseRecipient(bad, r, INFO))
          .isInstanceOf(InvalidEncodingException.class);
      assertThatThrownBy(
              () ->
                  Hpke.setupBaseRecipientFromDh(
                      bad, r.publicKey(), SecretBytes.copyOf(new byte[32]), INFO))
          .isInstanceOf(InvalidEncodingException.class);
    }
  }

  @Test
  void setupFromDh_wrongLengthDh_rejected() {
    HpkeKeyPair r = HpkeKeyPair.generate(rnd);
    byte[] enc = Hpke.seal(r.publicKey(), INFO, AAD, payload, rnd).enc();
    assertThatThrownBy(
            () ->
                Hpke.setupBaseRecipientFromDh(
                    enc, r.publicKey(), SecretBytes.copyOf(new byte[33]), INFO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32-byte");
  }

  @Test
  void interop_bouncyCastleSealsFleetvaultOpens_andViceVersa() throws Exception {
    HPKE bc =
        new HPKE(HPKE.mode_base, HPKE.kem_P256_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM128);
    HpkeKeyPair r = HpkeKeyPair.generate(rnd);
    HPKEContextWithEncapsulation s =
        bc.setupBaseS(bc.deserializePublicKey(r.publicKey().encodeUncompressed()), INFO);
    byte[] ct = s.seal(AAD, payload);
    try (HpkeRecipientContext ctx = Hpke.setupBaseRecipient(s.getEncapsulation(), r, INFO)) {
      assertThat(ctx.open(AAD, ct)).isEqualTo(payload);
      assertThat(ctx.export(INFO, 32)).isEqualTo(s.export(INFO, 32));
    }
    HpkeSealed ours = Hpke.seal(r.publicKey(), INFO, AAD, payload, rnd);
    AsymmetricCipherKeyPair bcKey =
        bc.deserializePrivateKey(r.privateKey().encode(), r.publicKey().encodeUncompressed());
    HPKEContext rc = bc.setupBaseR(ours.enc(), bcKey, INFO);
    assertThat(rc.open(AAD, ours.ciphertext())).isEqualTo(payload);
  }

  @Test
  void contexts_multipleMessages_sequenceAdvancesAndReplayFails() throws Exception {
    HpkeKeyPair r = HpkeKeyPair.generate(rnd);
    try (HpkeSenderContext s = Hpke.setupBaseSender(r.publicKey(), INFO, rnd);
        HpkeRecipientContext rc = Hpke.setupBaseRecipient(s.enc(), r, INFO)) {
      byte[] c0 = s.seal(AAD, new byte[] {0});
      byte[] c1 = s.seal(AAD, new byte[] {1});
      assertThat(rc.open(AAD, c0)).containsExactly(0);
      assertThatThrownBy(() -> rc.open(AAD, c0)).isInstanceOf(AEADBadTagException.class); // replay
      assertThat(rc.open(AAD, c1)).containsExactly(1); // failed open did not advance
    }
  }

  @Test
  void closedContext_use_throws() {
    HpkeKeyPair r = HpkeKeyPair.generate(rnd);
    HpkeSenderContext s = Hpke.setupBaseSender(r.publicKey(), INFO, rnd);
    s.close();
    assertThatThrownBy(() -> s.seal(AAD, payload)).isInstanceOf(IllegalStateException.class);
    assertThat(s.toString()).doesNotContain("key=");
  }
}
