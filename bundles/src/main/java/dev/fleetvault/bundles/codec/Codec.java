package dev.fleetvault.bundles.codec;

import java.util.Base64;
import java.util.HexFormat;

/**
 * Hex and base64 codecs that accept only one (canonical) spelling of each byte string.
 *
 * <p>Guarantees: decoders reject every non-canonical spelling (upper-case hex, odd length, base64
 * without padding or with non-zero trailing bits) with {@link IllegalArgumentException}, so one
 * byte string has exactly one text form in every signed or hashed document (artifacts, bundles,
 * audit log entries). Stateless and thread-safe. Used by bundles, the signer and the CLI.
 */
public final class Codec {
  private static final HexFormat HEX = HexFormat.of();

  private Codec() {}

  /** Lowercase hex. */
  public static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  /** Decodes lowercase hex only. */
  public static byte[] hexDecode(String s) {
    if (s.length() % 2 != 0) {
      throw new IllegalArgumentException("odd hex length");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        throw new IllegalArgumentException("not lowercase hex");
      }
    }
    return HEX.parseHex(s);
  }

  /** Standard padded base64 (RFC 4648 §4). */
  public static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  /**
   * Decodes standard padded base64 and rejects non-canonical spellings (e.g. non-zero pad bits).
   */
  public static byte[] b64Decode(String s) {
    byte[] b = Base64.getDecoder().decode(s);
    if (!Base64.getEncoder().encodeToString(b).equals(s)) {
      throw new IllegalArgumentException("non-canonical base64");
    }
    return b;
  }
}
