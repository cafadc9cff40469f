package dev.fleetvault.client;

import java.util.concurrent.CompletionStage;

/**
 * Supplies the app's token (a JWT signed with the app's key) for a user. The fleet takes the user
 * id from the token, so a token for one user cannot touch another user's record.
 *
 * <p>Implementations are called once per operation, may be called concurrently, and should cache
 * tokens until shortly before they expire.
 */
@FunctionalInterface
public interface TokenSupplier {
  /** A token that authorises operations on {@code user}'s record. */
  CompletionStage<String> tokenFor(String user);
}
