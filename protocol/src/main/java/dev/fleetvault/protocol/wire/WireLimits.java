package dev.fleetvault.protocol.wire;

/**
 * Hard size limits of the fleetvault.v1 wire format. {@link WireCodec} refuses anything larger on
 * decode; the gateway should also configure its gRPC / WebSocket servers with {@link
 * #MAX_CLIENT_REQUEST} and {@link #MAX_MEMBER_REQUEST} as maximum message sizes so an oversized
 * frame is dropped before it is buffered.
 *
 * <h2>Guarantees</h2>
 *
 * Every limit leaves room for the largest honest message at {@link #MAX_MEMBERS} members (the
 * arithmetic is in docs/PROTOCOL.md "Size limits"); the values are part of protocol version 1 and
 * change only with a new version.
 */
public final class WireLimits {
  /** Largest fleet (n) the format carries; member indexes are 1..MAX_MEMBERS. */
  public static final int MAX_MEMBERS = 31;

  /** Longest user id in bytes (at least 1). */
  public static final int MAX_USER_ID = 128;

  /**
   * Largest record version: 2^53 − 1 (exact in every JSON number and JavaScript client). Members
   * refuse a registration above it; a client ignores (and flags) a member that reports a current
   * version above it.
   */
  public static final long MAX_RECORD_VERSION = (1L << 53) - 1;

  /** Longest app id, in characters (ASCII; see {@code LedgerKeys}). */
  public static final int MAX_APP_ID = 64;

  /** Longest protected secret s in bytes (at least 1). */
  public static final int MAX_SECRET = 128;

  /** Largest guess limit L a registration may ask for (at least 1). */
  public static final int MAX_GUESS_LIMIT = 100;

  /** Longest Argon2id parameter set id, in UTF-8 bytes. */
  public static final int MAX_PIN_PARAMS_ID = 64;

  /** Longest fleet id, in UTF-8 bytes. */
  public static final int MAX_FLEET_ID = 128;

  /** Longest MemberUnavailable.reason, in UTF-8 bytes. */
  public static final int MAX_REASON = 200;

  /** Largest validation bundle carried in a response. */
  public static final int MAX_VALIDATION_BUNDLE = 64 * 1024;

  /** Secret ciphertext: 12-byte nonce + AES-256-GCM ciphertext + 16-byte tag. */
  public static final int MIN_SECRET_CIPHERTEXT = 12 + 1 + 16;

  /** Secret ciphertext for a {@link #MAX_SECRET}-byte secret. */
  public static final int MAX_SECRET_CIPHERTEXT = 12 + MAX_SECRET + 16;

  /** Largest plaintext *Payload inside a SealedRequest. */
  public static final int MAX_PAYLOAD = 2048;

  /** Largest plaintext *Reply inside a SealedAnswer. */
  public static final int MAX_REPLY = 2048;

  /** HPKE / answer AEAD tag length. */
  public static final int AEAD_TAG = 16;

  /** HPKE enc length: SEC1 uncompressed P-256 point. */
  public static final int HPKE_ENC = 65;

  /** Answer nonce length. */
  public static final int ANSWER_NONCE = 12;

  /** Largest encoded SealedRequest. */
  public static final int MAX_SEALED_REQUEST = 2304;

  /** Largest encoded SealedAnswer. */
  public static final int MAX_SEALED_ANSWER = 2304;

  /** Largest encoded client-to-edge request (Register1Request ... StatusRequest). */
  public static final int MAX_CLIENT_REQUEST = 96 * 1024;

  /** Largest encoded edge-to-client response (with a validation bundle). */
  public static final int MAX_CLIENT_RESPONSE = 160 * 1024;

  /** Largest encoded MemberRequest (edge to member). */
  public static final int MAX_MEMBER_REQUEST = 2560;

  /** Largest encoded MemberResponse (member to edge). */
  public static final int MAX_MEMBER_RESPONSE = 2560;

  /** Largest encoded MemberRecord (what the gateway seals with its HSM). */
  public static final int MAX_MEMBER_RECORD = 4096;

  /** Longest app token in characters (a compact JWS; PROTOCOL.md section 15). */
  public static final int MAX_TOKEN = 4096;

  /** Longest WsRequest.method / WsResponse.method in bytes. */
  public static final int MAX_WS_METHOD = 32;

  /** Largest encoded WsRequest: a client request, a token and the frame fields. */
  public static final int MAX_WS_REQUEST = MAX_CLIENT_REQUEST + MAX_TOKEN + 64;

  /** Largest encoded WsResponse: a client response or an error, and the frame fields. */
  public static final int MAX_WS_RESPONSE = MAX_CLIENT_RESPONSE + 512;

  private WireLimits() {}
}
