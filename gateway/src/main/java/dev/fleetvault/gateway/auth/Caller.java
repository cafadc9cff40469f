package dev.fleetvault.gateway.auth;

/**
 * Who is calling, taken from a verified app token.
 *
 * @param appId the app (the token's {@code iss})
 * @param userId the user (the token's {@code sub}); the only user this request may touch
 * @param expiresAtSeconds the token's {@code exp}
 */
public record Caller(String appId, String userId, long expiresAtSeconds) {
  /**
   * The ledger/record key of this user, {@link dev.fleetvault.protocol.flow.LedgerKeys#of}(app,
   * UTF-8 user id): injective over (app, user), so apps never share a user, and the same key the
   * member core binds into its commands and witnesses.
   *
   * @throws FleetvaultException BAD_REQUEST if the app id or user id is outside the protocol's
   *     limits (the message names the rule, not the value)
   */
  public String recordKey() {
    try {
      return dev.fleetvault.protocol.flow.LedgerKeys.of(
          appId, userId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new dev.fleetvault.gateway.errors.FleetvaultException(
          dev.fleetvault.gateway.errors.ErrorCode.BAD_REQUEST, "caller: " + e.getMessage());
    }
  }

  /**
   * The ledger/record key of request user {@code userId}: this caller's user or its passkey entry
   * ({@link dev.fleetvault.protocol.passkey.PasskeyEntry#authorizes}, PROTOCOL.md 21.1).
   *
   * @throws FleetvaultException PERMISSION_DENIED if the token does not authorize {@code userId},
   *     BAD_REQUEST if it is outside the protocol's limits
   */
  public String recordKeyFor(byte[] userId) {
    if (!dev.fleetvault.protocol.passkey.PasskeyEntry.authorizes(this.userId, userId)) {
      throw new dev.fleetvault.gateway.errors.FleetvaultException(
          dev.fleetvault.gateway.errors.ErrorCode.PERMISSION_DENIED,
          "the token is for another user than user_id");
    }
    try {
      return dev.fleetvault.protocol.flow.LedgerKeys.of(appId, userId);
    } catch (IllegalArgumentException e) {
      throw new dev.fleetvault.gateway.errors.FleetvaultException(
          dev.fleetvault.gateway.errors.ErrorCode.BAD_REQUEST, "caller: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "Caller[" + appId + "/" + userId + "]";
  }
}
