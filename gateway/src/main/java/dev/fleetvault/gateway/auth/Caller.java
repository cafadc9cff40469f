package dev.fleetvault.gateway.auth;

/**
 * Who is calling, taken from a verified app token.
 *
 * @param appId the app (the token's {@code iss})
 * @param userId the user (the token's {@code sub}); the only user this request may touch
 * @param expiresAtSeconds the token's {@code exp}
 */
public record Caller(String appId, String userId, long expiresAtSeconds) {
  /** The ledger/record key of this user: app and user, so apps never share a user. */
  public String recordKey() {
    return appId + "/" + userId;
  }

  @Override
  public String toString() {
    return "Caller[" + appId + "/" + userId + "]";
  }
}
