package dev.fleetvault.client;

import java.util.concurrent.CompletionStage;

/**
 * The app's handle on a Fleetvault fleet: register, recover and delete a user's backup secret
 * behind a PIN.
 *
 * <p><b>Guarantees.</b>
 *
 * <ul>
 *   <li>The PIN and the secret never leave the device unsealed: everything member-specific is
 *       HPKE-sealed to that member's key; the edge sees only sealed envelopes.
 *   <li>Internal copies of the PIN, the secret and every value derived from them are overwritten
 *       when the operation completes. The caller keeps ownership of the {@link Pin} and {@link
 *       BackupSecret} it passes in, and of the {@link BackupSecret} in a {@link
 *       RecoverResult.Recovered}.
 *   <li>A guess is requested only after a majority answered the free phase; when an edge is down
 *       the SDK tries the next edge, and it never sends a second guess for one call.
 *   <li>Outcomes are results; only failures outside the protocol (refused token, malformed request,
 *       rate limit, failed verification) complete the stage exceptionally with {@link
 *       FleetvaultException}.
 * </ul>
 *
 * Instances are thread-safe; share one per app and {@link #close()} it at the end.
 */
public interface FleetvaultClient extends AutoCloseable {

  /** A client with its own Vert.x instance (closed with the client). */
  static FleetvaultClient create(ClientOptions options) {
    return dev.fleetvault.client.impl.DefaultFleetvaultClient.create(null, options);
  }

  /** A client on the app's Vert.x instance (not closed with the client). */
  static FleetvaultClient create(io.vertx.core.Vertx vertx, ClientOptions options) {
    return dev.fleetvault.client.impl.DefaultFleetvaultClient.create(
        java.util.Objects.requireNonNull(vertx, "vertx"), options);
  }

  /**
   * Stores {@code secret} behind {@code pin} for {@code user}, allowing {@code guessLimit} wrong
   * guesses. Replaces an earlier registration of the user.
   */
  CompletionStage<RegisterResult> register(
      String user, Pin pin, BackupSecret secret, int guessLimit);

  /**
   * Recovers {@code user}'s secret with {@code pin}. A {@code WrongPin} spent one guess; an {@code
   * Unavailable} that happened before the guess was sent spent none. When the guess was sent and
   * its answer was lost, the SDK asks the members (a free phase 0 naming the attempt, PROTOCOL.md
   * 9.1a, for a few seconds at most) and {@link RecoverResult.Unavailable#guess()} says {@code
   * COUNTED} (with the guesses left) or {@code NOT_COUNTED} on the authenticated word of a majority
   * of members, else {@code MAY_HAVE_BEEN_COUNTED}.
   */
  CompletionStage<RecoverResult> recover(String user, Pin pin);

  /**
   * Deletes {@code user}'s records on every member (no PIN needed; the token authorises it).
   * Idempotent.
   */
  CompletionStage<DeleteResult> delete(String user);

  /**
   * Registers {@code secret} on {@code user}'s passkey entry (PROTOCOL.md 21.1): protected by the
   * passkey of {@code authenticator} (its PRF output replaces the PIN, its credential gates every
   * attempt). The user's PIN entry, if any, is not touched.
   */
  CompletionStage<RegisterResult> registerPasskey(
      String user,
      dev.fleetvault.client.passkey.Authenticator authenticator,
      BackupSecret secret,
      int guessLimit);

  /**
   * Recovers the secret of {@code user}'s passkey entry with {@code authenticator} (two WebAuthn
   * ceremonies).
   */
  CompletionStage<RecoverResult> recoverWithPasskey(
      String user, dev.fleetvault.client.passkey.Authenticator authenticator);

  /**
   * Adds a passkey to a PIN-protected backup: recovers the secret with {@code pin} (a success
   * resets the PIN entry's counter) and registers it on the passkey entry. Returns the recovery's
   * result if it was not {@link RecoverResult.Recovered}, else the registration's as {@code
   * Recovered} is closed and the passkey registration's outcome is reported.
   */
  CompletionStage<RegisterResult> addPasskey(
      String user,
      Pin pin,
      dev.fleetvault.client.passkey.Authenticator authenticator,
      int guessLimit);

  /** Removes {@code user}'s passkey entry (deletes it; the PIN entry stays). */
  CompletionStage<DeleteResult> removePasskey(String user);

  /** What the first reachable edge reports about the fleet. */
  CompletionStage<FleetStatus> status();

  /** A blocking view of this client (the same instance underneath). */
  BlockingFleetvaultClient blocking();

  /** Closes connections (and the Vert.x instance if the client created it). */
  @Override
  void close();
}
