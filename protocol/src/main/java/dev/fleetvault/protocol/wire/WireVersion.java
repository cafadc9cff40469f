package dev.fleetvault.protocol.wire;

/**
 * The protocol version and cipher suite ids carried in every top-level message.
 *
 * <h2>Guarantees</h2>
 *
 * Version 1 with suite 1 is the only combination this code speaks; {@link WireCodec} refuses any
 * other with a {@link WireFormatException} whose reason is {@code UNKNOWN_VERSION} or {@code
 * UNKNOWN_SUITE}.
 */
public final class WireVersion {
  /** Protocol version 1 (this specification). */
  public static final int VERSION_1 = 1;

  /**
   * Suite 1: RFC 9497 VOPRF P256-SHA256 (threshold, DLEQ proofs), RFC 9180 HPKE DHKEM(P-256,
   * HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM, HKDF-SHA256, HMAC-SHA256, AES-256-GCM for the secret,
   * Argon2id for the PIN.
   */
  public static final int SUITE_P256_SHA256 = 1;

  /** Member record format 1 (MemberRecord.format). */
  public static final int RECORD_FORMAT_1 = 1;

  /** WebSocket frame version 1 (WsRequest.frame_version, WsResponse.frame_version). */
  public static final int FRAME_VERSION_1 = 1;

  /**
   * The one version/suite check of the protocol: every top-level message's {@code version} and
   * {@code suite} go through here (via {@link WireCodec}, or directly where a handler must answer
   * before the rest of the rules).
   *
   * @param type the message type, for the error text
   * @throws WireFormatException {@code UNKNOWN_VERSION} or {@code UNKNOWN_SUITE}
   */
  public static void check(String type, int version, int suite) {
    if (version != VERSION_1) {
      throw new WireFormatException(
          WireFormatException.Reason.UNKNOWN_VERSION,
          type + ".version is " + version + ", this code speaks version " + VERSION_1);
    }
    checkSuite(type, suite);
  }

  /**
   * The suite half of {@link #check(String, int, int)} (MemberRecord has a format, not a version).
   */
  public static void checkSuite(String type, int suite) {
    if (suite != SUITE_P256_SHA256) {
      throw new WireFormatException(
          WireFormatException.Reason.UNKNOWN_SUITE,
          type + ".suite is " + suite + ", this code speaks suite " + SUITE_P256_SHA256);
    }
  }

  private WireVersion() {}
}
