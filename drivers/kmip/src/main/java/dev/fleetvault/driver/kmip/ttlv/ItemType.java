package dev.fleetvault.driver.kmip.ttlv;

/**
 * The TTLV item types of KMIP 1.x (section 9.1.1.2) plus Date-Time Extended of KMIP 2.0.
 *
 * <p>Each constant knows its one-byte code and, for fixed-size types, the exact value length the
 * decoder insists on.
 */
public enum ItemType {
  /** A sequence of items; its length is the sum of the encoded (padded) children. */
  STRUCTURE(0x01, -1),
  /** 32-bit signed integer, padded to 8 bytes. */
  INTEGER(0x02, 4),
  /** 64-bit signed integer. */
  LONG_INTEGER(0x03, 8),
  /** Two's complement big-endian integer whose length is a multiple of 8. */
  BIG_INTEGER(0x04, -1),
  /** 32-bit unsigned enumeration value, padded to 8 bytes. */
  ENUMERATION(0x05, 4),
  /** 64-bit value that must be 0 or 1. */
  BOOLEAN(0x06, 8),
  /** UTF-8 text, padded with zeros to a multiple of 8. */
  TEXT_STRING(0x07, -1),
  /** Raw bytes, padded with zeros to a multiple of 8. */
  BYTE_STRING(0x08, -1),
  /** Seconds since the POSIX epoch as a 64-bit signed integer. */
  DATE_TIME(0x09, 8),
  /** Unsigned 32-bit number of seconds, padded to 8 bytes. */
  INTERVAL(0x0A, 4),
  /** KMIP 2.0: microseconds since the POSIX epoch as a 64-bit signed integer. */
  DATE_TIME_EXTENDED(0x0B, 8);

  private final int code;
  private final int fixedLength;

  ItemType(int code, int fixedLength) {
    this.code = code;
    this.fixedLength = fixedLength;
  }

  /** The one-byte type code on the wire. */
  public int code() {
    return code;
  }

  /** The exact value length for fixed-size types, or -1 for variable-length types. */
  public int fixedLength() {
    return fixedLength;
  }

  /**
   * Looks up a type code.
   *
   * @return the type, or {@code null} when the code is not a TTLV type
   */
  public static ItemType ofCode(int code) {
    for (ItemType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
