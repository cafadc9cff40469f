package dev.fleetvault.protocol.pin;

import java.util.Objects;

/**
 * Named, versioned Argon2id parameter sets for PIN stretching. The id is what travels in
 * configuration and on the wire; parameters of an id never change (a new set gets a new id).
 *
 * <h2>Guarantees</h2>
 *
 * All sets use Argon2id version 0x13 and a 32-byte output. {@link #forId} only knows the ids below
 * and throws {@link IllegalArgumentException} for anything else.
 */
public enum Argon2idParameters {
  /** Production default, as Signal and Juicebox use: m = 16 MiB, t = 32, p = 1. */
  ARGON2ID_V1_DEFAULT("argon2id-v1-default", 16 * 1024, 32, 1),
  /**
   * INSECURE, FOR TESTS ONLY: m = 64 KiB, t = 1, p = 1. Makes offline PIN guessing cheap; never
   * configure it for a real fleet.
   */
  ARGON2ID_V1_INSECURE_TEST_ONLY("argon2id-v1-insecure-test-only", 64, 1, 1);

  /** Output length in bytes. */
  public static final int OUTPUT_LENGTH = 32;

  private final String id;
  private final int memoryKiB;
  private final int iterations;
  private final int parallelism;

  Argon2idParameters(String id, int memoryKiB, int iterations, int parallelism) {
    this.id = id;
    this.memoryKiB = memoryKiB;
    this.iterations = iterations;
    this.parallelism = parallelism;
  }

  /** The stable id (e.g. {@code "argon2id-v1-default"}). */
  public String id() {
    return id;
  }

  public int memoryKiB() {
    return memoryKiB;
  }

  public int iterations() {
    return iterations;
  }

  public int parallelism() {
    return parallelism;
  }

  /**
   * The set with this id; throws {@link IllegalArgumentException} naming the known ids otherwise.
   */
  public static Argon2idParameters forId(String id) {
    Objects.requireNonNull(id, "id");
    for (Argon2idParameters p : values()) {
      if (p.id.equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown Argon2id parameter set '"
            + id
            + "'; known: "
            + ARGON2ID_V1_DEFAULT.id
            + ", "
            + ARGON2ID_V1_INSECURE_TEST_ONLY.id);
  }
}
