package dev.fleetvault.protocol.flow;

import java.util.Set;

/** Argon2id parameter set ids this flow accepts (delegates to the pin package once published). */
final class PinStretch {
  /** Production: m = 16 MiB, t = 32, p = 1. */
  static final String DEFAULT = "argon2id-m16384-t32-p1";
  /** Cheap, for tests only. */
  static final String INSECURE_TEST = "argon2id-insecure-test-m64-t1-p1";
  private static final Set<String> KNOWN = Set.of(DEFAULT, INSECURE_TEST);

  private PinStretch() {}

  static void requireKnown(String id) {
    if (!KNOWN.contains(id)) {
      throw new IllegalArgumentException("unknown Argon2id parameter set '" + id + "'; known: " + KNOWN);
    }
  }
}
