package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.wire.DeleteRequest;
import dev.fleetvault.protocol.wire.DeleteResponse;
import java.security.SecureRandom;

/**
 * Client side of deletion (PROTOCOL.md "Deletion"): one round trip; the app token at the edge
 * authorizes it, no PIN. Each member commits its own signed deletion.
 *
 * <h2>Guarantees</h2>
 * No I/O, no clock. Only authenticated answers count as confirmations.
 */
public final class Deletion {
  private Deletion() {}

  /** Starts a deletion for {@code userId}. */
  public static Deletion begin(RealmConfig realm, byte[] userId, SecureRandom random) {
    throw new UnsupportedOperationException("not yet");
  }

  /** The request, sealed to every member. */
  public DeleteRequest request() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Which members confirmed. */
  public DeleteResult finish(DeleteResponse response) {
    throw new UnsupportedOperationException("not yet");
  }
}
