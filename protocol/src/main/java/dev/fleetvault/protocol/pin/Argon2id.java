package dev.fleetvault.protocol.pin;

import dev.fleetvault.protocol.secret.SecretBytes;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106, version 0x13) over Bouncy Castle's {@code Argon2BytesGenerator}, and PIN
 * stretching with a named parameter set.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>{@link #hash} is RFC 9106 Argon2id with secret and associated data (checked against the RFC
 *       9106 §5.3 vector).
 *   <li>{@link #stretchPin} returns 32 bytes in {@link SecretBytes} and wipes its copy of the PIN;
 *       the salt must be at least 16 bytes (Fleetvault salts are 32-byte hashes).
 *   <li>CPU/memory cost is that of the parameter set (default ≈ 16 MiB and tens of ms per call on a
 *       client: see the bench module); call it off any event loop.
 * </ul>
 */
public final class Argon2id {
  /** Minimum salt length accepted by {@link #stretchPin}. */
  public static final int MIN_SALT_LENGTH = 16;

  private Argon2id() {}

  /** {@code Argon2id(pin, salt)} with the given parameter set; output 32 bytes. */
  public static SecretBytes stretchPin(SecretBytes pin, byte[] salt, Argon2idParameters params) {
    Objects.requireNonNull(params, "params");
    if (salt == null || salt.length < MIN_SALT_LENGTH) {
      throw new IllegalArgumentException(
          "Argon2id salt must be at least " + MIN_SALT_LENGTH + " bytes");
    }
    byte[] p = pin.copy();
    try {
      return SecretBytes.wrap(
          hash(
              p,
              salt,
              null,
              null,
              params.memoryKiB(),
              params.iterations(),
              params.parallelism(),
              Argon2idParameters.OUTPUT_LENGTH));
    } finally {
      Arrays.fill(p, (byte) 0);
    }
  }

  /** Raw Argon2id (version 0x13) with optional secret and associated data. */
  public static byte[] hash(
      byte[] password,
      byte[] salt,
      byte[] secret,
      byte[] associatedData,
      int memoryKiB,
      int iterations,
      int parallelism,
      int outputLength) {
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(salt, "salt");
    if (parallelism < 1 || iterations < 1 || memoryKiB < 8 * parallelism || outputLength < 4) {
      throw new IllegalArgumentException(
          "invalid Argon2id parameters: m="
              + memoryKiB
              + " KiB, t="
              + iterations
              + ", p="
              + parallelism
              + ", L="
              + outputLength);
    }
    Argon2Parameters.Builder b =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKiB)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt);
    if (secret != null) {
      b.withSecret(secret);
    }
    if (associatedData != null) {
      b.withAdditional(associatedData);
    }
    Argon2BytesGenerator g = new Argon2BytesGenerator();
    g.init(b.build());
    byte[] out = new byte[outputLength];
    g.generateBytes(password, out);
    return out;
  }
}
