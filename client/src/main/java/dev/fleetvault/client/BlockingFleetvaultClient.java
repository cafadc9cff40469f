package dev.fleetvault.client;

/**
 * Blocking form of {@link FleetvaultClient}: each call waits for the result. Do not call it on a
 * Vert.x event-loop thread. Failures outside the protocol throw {@link FleetvaultException}.
 */
public interface BlockingFleetvaultClient {
  /** See {@link FleetvaultClient#register}. */
  RegisterResult register(String user, Pin pin, BackupSecret secret, int guessLimit);

  /** See {@link FleetvaultClient#recover}. */
  RecoverResult recover(String user, Pin pin);

  /** See {@link FleetvaultClient#delete}. */
  DeleteResult delete(String user);

  /** See {@link FleetvaultClient#registerPasskey}. */
  RegisterResult registerPasskey(
      String user,
      dev.fleetvault.client.passkey.Authenticator authenticator,
      BackupSecret secret,
      int guessLimit);

  /** See {@link FleetvaultClient#recoverWithPasskey}. */
  RecoverResult recoverWithPasskey(
      String user, dev.fleetvault.client.passkey.Authenticator authenticator);

  /** See {@link FleetvaultClient#addPasskey}. */
  RegisterResult addPasskey(
      String user,
      Pin pin,
      dev.fleetvault.client.passkey.Authenticator authenticator,
      int guessLimit);

  /** See {@link FleetvaultClient#removePasskey}. */
  DeleteResult removePasskey(String user);

  /** See {@link FleetvaultClient#status}. */
  FleetStatus status();
}
