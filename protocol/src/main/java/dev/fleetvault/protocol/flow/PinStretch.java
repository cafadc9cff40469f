package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.pin.Argon2idParameters;

/** Argon2id parameter set ids this flow accepts: those of {@link Argon2idParameters}. */
final class PinStretch {
  private PinStretch() {}

  static void requireKnown(String id) {
    Argon2idParameters.forId(id);
  }
}
