package dev.fleetvault.protocol.flow.parts;

import dev.fleetvault.protocol.kdf.Hkdf;
import dev.fleetvault.protocol.kdf.Hmac;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.WireVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Every derivation and label of the protocol, byte for byte as docs/PROTOCOL.md specifies (sections
 * "Notation", "Envelopes", "Key derivations").
 *
 * <p>API for the flows, the members and tests and tools that recompute protocol values. Guarantees:
 * every function is pure and deterministic and matches the specification byte for byte (checked by
 * the worked-example test); no function keeps or logs its inputs.
 */
public final class Derive {
  /** Prefix of every protocol label. */
  public static final String PREFIX = "fleetvault/v1 ";

  private Derive() {}

  /** I2OSP(v, n): n-byte big-endian. */
  public static byte[] i2osp(long v, int n) {
    byte[] out = new byte[n];
    for (int i = n - 1; i >= 0; i--) {
      out[i] = (byte) v;
      v >>>= 8;
    }
    if (n < 8 && v != 0) {
      throw new IllegalArgumentException("value does not fit in " + n + " bytes");
    }
    return out;
  }

  /** lp(x) = I2OSP(len(x), 2) || x. */
  public static byte[] lp(byte[] x) {
    return concat(i2osp(x.length, 2), x);
  }

  /** ASCII bytes of {@code PREFIX + name}. */
  public static byte[] label(String name) {
    return (PREFIX + name).getBytes(StandardCharsets.US_ASCII);
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /**
   * ctx(phase, member, fleet, app, u) = I2OSP(version, 2) || I2OSP(suite, 2) || I2OSP(phase, 1) ||
   * I2OSP(member, 2) || lp(fleet id) || lp(app id) || lp(u).
   */
  public static byte[] context(
      Phase phase, int member, String fleetId, String appId, byte[] userId) {
    return concat(
        i2osp(WireVersion.VERSION_1, 2),
        i2osp(WireVersion.SUITE_P256_SHA256, 2),
        i2osp(phase.getNumber(), 1),
        i2osp(member, 2),
        lp(utf8(fleetId)),
        lp(utf8(appId)),
        lp(userId));
  }

  /** HPKE info of a request: "fleetvault/v1 request" || ctx. */
  public static byte[] requestInfo(
      Phase phase, int member, String fleetId, String appId, byte[] userId) {
    return concat(label("request"), context(phase, member, fleetId, appId, userId));
  }

  /** HPKE exporter context for the answer key: "fleetvault/v1 answer key". */
  public static byte[] answerKeyContext() {
    return label("answer key");
  }

  /** Length of the exported answer key (AES-128-GCM). */
  public static final int ANSWER_KEY_LENGTH = 16;

  /** AAD of an answer: "fleetvault/v1 answer" || ctx. */
  public static byte[] answerAad(
      Phase phase, int member, String fleetId, String appId, byte[] userId) {
    return concat(label("answer"), context(phase, member, fleetId, appId, userId));
  }

  /**
   * PIN salt = SHA-256("fleetvault/v1 pin salt" || lp(u) || lp(fleet id) || lp(pin params id) ||
   * lp(registration salt)).
   */
  public static byte[] pinSalt(
      byte[] userId, String fleetId, String pinParams, byte[] registrationSalt) {
    return Hmac.sha256Digest(
        concat(
            label("pin salt"),
            lp(userId),
            lp(utf8(fleetId)),
            lp(utf8(pinParams)),
            lp(registrationSalt)));
  }

  /** unlock key = HKDF(salt = "", IKM = y, info = labeledInfo("unlock key", ""), 32). */
  public static SecretBytes unlockKey(SecretBytes y) {
    return Hkdf.deriveLabeled(y, null, "unlock key", new byte[0], 32);
  }

  /** mask key = HKDF(salt = "", IKM = y, info = labeledInfo("mask key", ""), 32). */
  public static SecretBytes maskKey(SecretBytes y) {
    return Hkdf.deriveLabeled(y, null, "mask key", new byte[0], 32);
  }

  /** tag_i = HMAC-SHA256(unlock key, "fleetvault/v1 unlock tag" || I2OSP(i, 2)). */
  public static byte[] unlockTag(SecretBytes unlockKey, int member) {
    return Hmac.sha256(unlockKey, concat(label("unlock tag"), i2osp(member, 2)));
  }

  /**
   * mask_i = HKDF(salt = "", IKM = mask key, info = labeledInfo("share mask", I2OSP(i, 2)), 32).
   */
  public static SecretBytes shareMask(SecretBytes maskKey, int member) {
    return Hkdf.deriveLabeled(maskKey, null, "share mask", i2osp(member, 2), 32);
  }

  /** a XOR b (equal lengths). */
  public static byte[] xor(byte[] a, byte[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("xor of different lengths");
    }
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  /** AAD of the secret's AES-256-GCM: "fleetvault/v1 secret" || lp(u) || I2OSP(version, 8). */
  public static byte[] secretAad(byte[] userId, long recordVersion) {
    return concat(label("secret"), lp(userId), i2osp(recordVersion, 8));
  }

  /**
   * attemptId = SHA-256("fleetvault/v1 attempt id" || lp(fleet id) || lp(app id) || lp(u) ||
   * I2OSP(version, 8) || I2OSP(generation, 8) || lp(B) || lp(nonce)), B the 33-byte compressed
   * blinded element. The same at every member and at the client: nothing in it depends on the
   * member.
   */
  public static byte[] attemptId(
      String fleetId,
      String appId,
      byte[] userId,
      long recordVersion,
      long generation,
      byte[] blinded,
      byte[] nonce) {
    return Hmac.sha256Digest(
        concat(
            label("attempt id"),
            lp(utf8(fleetId)),
            lp(utf8(appId)),
            lp(userId),
            i2osp(recordVersion, 8),
            i2osp(generation, 8),
            lp(blinded),
            lp(nonce)));
  }

  /**
   * AAD of a member record sealed by the HSM: "fleetvault/v1 record" || lp(fleet id) || lp(app id)
   * || lp(u) || I2OSP(version, 8) || I2OSP(member, 2).
   */
  public static byte[] recordAad(
      String fleetId, String appId, byte[] userId, long version, int member) {
    return concat(
        label("record"),
        lp(utf8(fleetId)),
        lp(utf8(appId)),
        lp(userId),
        i2osp(version, 8),
        i2osp(member, 2));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Zeroes arrays. */
  public static void wipe(byte[]... arrays) {
    for (byte[] a : arrays) {
      if (a != null) {
        Arrays.fill(a, (byte) 0);
      }
    }
  }
}
