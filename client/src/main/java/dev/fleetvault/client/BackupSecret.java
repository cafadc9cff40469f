package dev.fleetvault.client;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A recovered (or to-be-registered) backup secret: at most {@link #MAX_LENGTH} bytes held as a
 * private copy that {@link #close()} overwrites.
 *
 * <p><b>Guarantees.</b> {@link #toString()} never shows the content; comparisons are constant-time;
 * after {@link #close()} every accessor throws.
 */
public final class BackupSecret implements AutoCloseable {
  /** The largest secret the vault keeps, in bytes (DESIGN.md: "secret s ≤ 128 bytes"). */
  public static final int MAX_LENGTH = 128;

  private byte[] bytes;

  private BackupSecret(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Copies a secret. The caller should wipe {@code secret} afterwards.
   *
   * @throws IllegalArgumentException if it is empty or longer than {@link #MAX_LENGTH}
   */
  public static BackupSecret copyOf(byte[] secret) {
    if (secret == null || secret.length == 0 || secret.length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a backup secret must be 1.."
              + MAX_LENGTH
              + " bytes, got "
              + (secret == null ? 0 : secret.length));
    }
    return new BackupSecret(secret.clone());
  }

  /** Copies {@code secret} and then overwrites the caller's array with zeros. */
  public static BackupSecret copyAndWipe(byte[] secret) {
    try {
      return copyOf(secret);
    } finally {
      if (secret != null) {
        Arrays.fill(secret, (byte) 0);
      }
    }
  }

  /** The length in bytes. */
  public synchronized int length() {
    return live().length;
  }

  /** A fresh copy of the bytes; the caller owns it and should wipe it. */
  public synchronized byte[] copyBytes() {
    return live().clone();
  }

  /** Writes the bytes to {@code out} without making another copy. */
  public synchronized void writeTo(OutputStream out) throws IOException {
    out.write(live());
  }

  /** Constant-time comparison with {@code other}. */
  public synchronized boolean contentEquals(byte[] other) {
    return MessageDigest.isEqual(live(), other);
  }

  /** Overwrites the bytes. Idempotent. */
  @Override
  public synchronized void close() {
    if (bytes != null) {
      Arrays.fill(bytes, (byte) 0);
      bytes = null;
    }
  }

  private byte[] live() {
    if (bytes == null) {
      throw new IllegalStateException("the secret was wiped");
    }
    return bytes;
  }

  @Override
  public String toString() {
    return "BackupSecret[redacted]";
  }
}
