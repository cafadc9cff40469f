package dev.fleetvault.protocol.hpke;

import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.InvalidEncodingException;
import dev.fleetvault.protocol.group.P256;
import dev.fleetvault.protocol.hpke.impl.HpkeState;
import dev.fleetvault.protocol.secret.SecretBytes;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * RFC 9180 HPKE, base mode, suite DHKEM(P-256, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM (kem
 * 0x0010, kdf 0x0001, aead 0x0001).
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Byte-exact with RFC 9180 Appendix A.3 (vector-checked: keys, encryptions, exports).
 *   <li>The recipient can be set up from an ECDH result computed elsewhere (an HSM): {@link
 *       #parseEnc} validates {@code enc} before it goes to the HSM, and {@link
 *       #setupBaseRecipientFromDh} runs DHKEM's ExtractAndExpand with {@code kem_context = enc ||
 *       pkRm} and the key schedule; the result equals {@link #setupBaseRecipient} with the private
 *       key.
 *   <li>Invalid {@code enc} (wrong length, not on the curve, identity) throws {@link
 *       InvalidEncodingException}; failed authentication throws {@link AEADBadTagException}.
 * </ul>
 */
public final class Hpke {
  /** Length of {@code enc} (Nenc). */
  public static final int ENC_LENGTH = P256.UNCOMPRESSED_LENGTH;

  /** AEAD tag length. */
  public static final int TAG_LENGTH = 16;

  private static final byte[] EMPTY = new byte[0];

  private Hpke() {}

  /** SetupBaseS(pkR, info) with a fresh ephemeral key. */
  public static HpkeSenderContext setupBaseSender(
      GroupElement recipientPublicKey, byte[] info, SecureRandom random) {
    return setupBaseSender(recipientPublicKey, info, HpkeKeyPair.generate(random));
  }

  /** SetupBaseS(pkR, info) with the given ephemeral key pair (deterministic; tests and vectors). */
  public static HpkeSenderContext setupBaseSender(
      GroupElement recipientPublicKey, byte[] info, HpkeKeyPair ephemeral) {
    Objects.requireNonNull(recipientPublicKey, "recipientPublicKey");
    byte[] enc = ephemeral.publicKey().encodeUncompressed();
    byte[] dh = Ecdh.sharedSecretX(ephemeral.privateKey(), recipientPublicKey);
    try (SecretBytes ss =
        HpkeState.extractAndExpand(dh, concat(enc, recipientPublicKey.encodeUncompressed()))) {
      return new HpkeSenderContext(
          enc, HpkeState.keySchedule(HpkeState.MODE_BASE, ss, nonNull(info), EMPTY, EMPTY));
    } finally {
      Arrays.fill(dh, (byte) 0);
    }
  }

  /** SetupBaseR(enc, skR, info) with a software private key. */
  public static HpkeRecipientContext setupBaseRecipient(
      byte[] enc, HpkeKeyPair recipient, byte[] info) {
    GroupElement pkE = parseEnc(enc);
    byte[] dh = Ecdh.sharedSecretX(recipient.privateKey(), pkE);
    try (SecretBytes d = SecretBytes.wrap(dh)) {
      return setupBaseRecipientFromDh(enc, recipient.publicKey(), d, info);
    }
  }

  /**
   * SetupBaseR from an externally computed DH result: {@code dhX} is the 32-byte x-coordinate of
   * {@code skR·pkE} (what an HSM's ECDH returns for the point {@link #parseEnc}(enc)).
   */
  public static HpkeRecipientContext setupBaseRecipientFromDh(
      byte[] enc, GroupElement recipientPublicKey, SecretBytes dhX, byte[] info) {
    parseEnc(enc);
    Objects.requireNonNull(recipientPublicKey, "recipientPublicKey");
    if (dhX.length() != P256.FIELD_LENGTH) {
      throw new IllegalArgumentException(
          "P-256 DH result must be the 32-byte x-coordinate, got " + dhX.length());
    }
    byte[] dh = dhX.copy();
    try (SecretBytes ss =
        HpkeState.extractAndExpand(dh, concat(enc, recipientPublicKey.encodeUncompressed()))) {
      return new HpkeRecipientContext(
          HpkeState.keySchedule(HpkeState.MODE_BASE, ss, nonNull(info), EMPTY, EMPTY));
    } finally {
      Arrays.fill(dh, (byte) 0);
    }
  }

  /** Validates {@code enc} (65-byte uncompressed P-256 point, on the curve, not the identity). */
  public static GroupElement parseEnc(byte[] enc) {
    if (enc == null || enc.length != ENC_LENGTH) {
      throw new InvalidEncodingException(
          "HPKE enc must be " + ENC_LENGTH + " bytes, got " + (enc == null ? "null" : enc.length));
    }
    return GroupElement.decodeUncompressed(enc);
  }

  /** Single-shot seal (sequence number 0). */
  public static HpkeSealed seal(
      GroupElement recipientPublicKey,
      byte[] info,
      byte[] aad,
      byte[] plaintext,
      SecureRandom random) {
    try (HpkeSenderContext ctx = setupBaseSender(recipientPublicKey, info, random)) {
      return new HpkeSealed(ctx.enc(), ctx.seal(aad, plaintext));
    }
  }

  /** Single-shot open with a software key. */
  public static byte[] open(HpkeKeyPair recipient, byte[] info, byte[] aad, HpkeSealed sealed)
      throws AEADBadTagException {
    try (HpkeRecipientContext ctx = setupBaseRecipient(sealed.enc(), recipient, info)) {
      return ctx.open(aad, sealed.ciphertext());
    }
  }

  private static byte[] nonNull(byte[] b) {
    return b == null ? EMPTY : b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
