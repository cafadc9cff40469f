package dev.fleetvault.protocol.hpke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.testing.Hex;
import dev.fleetvault.protocol.testing.VectorReport;
import dev.fleetvault.protocol.testing.Vectors;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.junit.jupiter.api.Test;

/**
 * RFC 9180 Appendix A.3 (DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM), all four modes. Base
 * mode runs through Fleetvault's {@link Hpke} (sender, recipient with the key, and recipient from
 * an external DH result); every mode (base, psk, auth, authpsk) also runs through Bouncy Castle's
 * own {@code HPKE}, which Fleetvault does not wrap for psk/auth.
 */
class HpkeVectorsTest {

  private int id;
  private final VectorReport report = new VectorReport("RFC 9180 A.3");

  @Test
  void rfc9180AppendixA3_allModes_encryptionsAndExportsMatch() throws Exception {
    List<Rfc9180Text.Section> sections =
        Rfc9180Text.parse(Vectors.text("rfc9180/dhkem_p256_hkdf_sha256_aes128gcm.txt"));
    assertThat(sections).hasSize(4);
    for (Rfc9180Text.Section s : sections) {
      int mode = Integer.parseInt(s.setup.get("mode"));
      assertThat(s.setup.get("kem_id")).isEqualTo("16");
      checkWithBouncyCastle(s, mode);
      if (mode == 0) {
        report.check(
            VectorReport.label(++id, s.title + ": Fleetvault DeriveKeyPair"), () -> checkKeys(s));
        checkFleetvaultBase(s, false);
        checkFleetvaultBase(s, true);
      } else {
        report.skipByDesign(
            s.title + " via Fleetvault Hpke",
            "wrapper exposes base mode only; checked via Bouncy Castle");
      }
    }
    report.assertAllPassed();
  }

  private static void checkKeys(Rfc9180Text.Section s) {
    HpkeKeyPair e = HpkeKeyPair.derive(hex(s.setup, "ikmE"));
    HpkeKeyPair r = HpkeKeyPair.derive(hex(s.setup, "ikmR"));
    assertThat(Hex.encode(e.privateKey().encode())).isEqualTo(s.setup.get("skEm"));
    assertThat(Hex.encode(e.publicKey().encodeUncompressed())).isEqualTo(s.setup.get("pkEm"));
    assertThat(Hex.encode(r.privateKey().encode())).isEqualTo(s.setup.get("skRm"));
    assertThat(Hex.encode(r.publicKey().encodeUncompressed())).isEqualTo(s.setup.get("pkRm"));
  }

  private void checkFleetvaultBase(Rfc9180Text.Section s, boolean fromDh) throws Exception {
    String how =
        s.title + ", Fleetvault, recipient " + (fromDh ? "from external DH" : "with private key");
    HpkeKeyPair e = HpkeKeyPair.derive(hex(s.setup, "ikmE"));
    HpkeKeyPair r = HpkeKeyPair.derive(hex(s.setup, "ikmR"));
    byte[] info = hex(s.setup, "info");
    byte[] enc = hex(s.setup, "enc");
    try (HpkeSenderContext snd = Hpke.setupBaseSender(r.publicKey(), info, e);
        HpkeRecipientContext rcv =
            fromDh
                ? Hpke.setupBaseRecipientFromDh(
                    enc,
                    r.publicKey(),
                    SecretBytes.wrap(Ecdh.sharedSecretX(r.privateKey(), Hpke.parseEnc(enc))),
                    info)
                : Hpke.setupBaseRecipient(enc, r, info)) {
      report.check(
          VectorReport.label(++id, how + ": enc"),
          () -> assertThat(Hex.encode(snd.enc())).isEqualTo(s.setup.get("enc")));
      long[] seq = {0};
      for (Map<String, String> v : s.encryptions) {
        long want = Long.parseLong(v.get("sequence number"));
        report.check(
            VectorReport.label(++id, how + ": encryption seq " + want),
            () -> {
              for (;
                  seq[0] < want;
                  seq[0]++) { // advance both contexts in lockstep through skipped numbers
                byte[] filler = snd.seal(new byte[0], new byte[] {1});
                assertThat(rcv.open(new byte[0], filler)).containsExactly(1);
              }
              seq[0]++;
              byte[] ct = snd.seal(hex(v, "aad"), hex(v, "pt"));
              assertThat(Hex.encode(ct)).as("ct").isEqualTo(v.get("ct"));
              assertThat(Hex.encode(rcv.open(hex(v, "aad"), ct))).as("pt").isEqualTo(v.get("pt"));
            });
      }
      for (Map<String, String> x : s.exports) {
        int len = Integer.parseInt(x.get("L"));
        report.check(
            VectorReport.label(++id, how + ": export ctx '" + x.get("exporter_context") + "'"),
            () -> {
              assertThat(Hex.encode(snd.export(hex(x, "exporter_context"), len)))
                  .isEqualTo(x.get("exported_value"));
              assertThat(Hex.encode(rcv.export(hex(x, "exporter_context"), len)))
                  .isEqualTo(x.get("exported_value"));
            });
      }
    }
  }

  private void checkWithBouncyCastle(Rfc9180Text.Section s, int mode) throws Exception {
    String how = s.title + ", Bouncy Castle HPKE";
    HPKE hpke =
        new HPKE((byte) mode, HPKE.kem_P256_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM128);
    AsymmetricCipherKeyPair r =
        hpke.deserializePrivateKey(hex(s.setup, "skRm"), hex(s.setup, "pkRm"));
    byte[] enc = hex(s.setup, "enc");
    byte[] info = hex(s.setup, "info");
    HPKEContext ctx;
    switch (mode) {
      case 0 -> ctx = hpke.setupBaseR(enc, r, info);
      case 1 -> ctx = hpke.setupPSKR(enc, r, info, hex(s.setup, "psk"), hex(s.setup, "psk_id"));
      case 2 ->
          ctx = hpke.setupAuthR(enc, r, info, hpke.deserializePublicKey(hex(s.setup, "pkSm")));
      case 3 ->
          ctx =
              hpke.setupAuthPSKR(
                  enc,
                  r,
                  info,
                  hex(s.setup, "psk"),
                  hex(s.setup, "psk_id"),
                  hpke.deserializePublicKey(hex(s.setup, "pkSm")));
      default -> throw new AssertionError("mode " + mode);
    }
    long[] seq = {0};
    for (Map<String, String> v : s.encryptions) {
      long want = Long.parseLong(v.get("sequence number"));
      report.check(
          VectorReport.label(++id, how + ": encryption seq " + want),
          () -> {
            for (; seq[0] < want; seq[0]++) {
              ctx.seal(
                  new byte[0], new byte[0]); // BC shares one counter for seal and open: advance it
            }
            seq[0]++;
            assertThat(Hex.encode(ctx.open(hex(v, "aad"), hex(v, "ct")))).isEqualTo(v.get("pt"));
          });
    }
    for (Map<String, String> x : s.exports) {
      report.check(
          VectorReport.label(++id, how + ": export ctx '" + x.get("exporter_context") + "'"),
          () ->
              assertThat(
                      Hex.encode(
                          ctx.export(hex(x, "exporter_context"), Integer.parseInt(x.get("L")))))
                  .isEqualTo(x.get("exported_value")));
    }
  }

  private static byte[] hex(Map<String, String> m, String k) {
    String v = m.get(k);
    if (v == null) {
      throw new AssertionError("vector field missing: " + k);
    }
    return Hex.decode(v);
  }
}
