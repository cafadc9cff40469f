package dev.fleetvault.driver.spi;

import java.util.Arrays;

/**
 * A credential (PIN, passphrase) held as {@code char[]} that can be wiped. {@link #toString()}
 * never shows the content. Use it for as short a time as possible and {@link #close()} it (wipes).
 * Not thread-safe.
 */
public final class SecretChars implements AutoCloseable {

  private final char[] chars;
  private boolean wiped;

  private SecretChars(char[] chars) {
    this.chars = chars;
  }

  /** Takes ownership of {@code chars} (not copied); the caller must not keep using the array. */
  public static SecretChars takeOwnership(char[] chars) {
    return new SecretChars(java.util.Objects.requireNonNull(chars, "chars"));
  }

  /** Copies {@code chars}; the caller remains responsible for wiping its own array. */
  public static SecretChars copyOf(char[] chars) {
    return new SecretChars(chars.clone());
  }

  /**
   * A copy of the content, for APIs that take a {@code char[]} (the caller wipes it with {@code
   * Arrays.fill(copy, '\0')} when done). Throws {@link IllegalStateException} once wiped.
   */
  public char[] copyChars() {
    if (wiped) {
      throw new IllegalStateException("secret already wiped");
    }
    return chars.clone();
  }

  /** Number of characters (0 once wiped). */
  public int length() {
    return wiped ? 0 : chars.length;
  }

  /** Whether the content has been wiped. */
  public boolean isWiped() {
    return wiped;
  }

  /** Overwrites the content with zeros. Idempotent. */
  public void wipe() {
    Arrays.fill(chars, '\0');
    wiped = true;
  }

  /** Same as {@link #wipe()}. */
  @Override
  public void close() {
    wipe();
  }

  @Override
  public String toString() {
    return "SecretChars[redacted]";
  }
}
