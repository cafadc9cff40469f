package dev.fleetvault.client;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;

/**
 * A user's PIN or password, held as a private copy that {@link #close()} overwrites.
 *
 * <p><b>Guarantees.</b> The characters are copied on creation (the caller wipes its own array);
 * {@link #toString()} never shows them; after {@link #close()} every accessor throws. The bytes
 * handed to the protocol are the UTF-8 encoding of the NFC-normalized PIN, so the same PIN typed on
 * different keyboards gives the same bytes.
 */
public final class Pin implements AutoCloseable {
  private char[] chars;

  private Pin(char[] chars) {
    this.chars = chars;
  }

  /**
   * Copies a PIN. The caller should wipe {@code pin} afterwards ({@code Arrays.fill(pin, '\0')}).
   *
   * @throws IllegalArgumentException if the PIN is empty
   */
  public static Pin of(char[] pin) {
    if (pin == null || pin.length == 0) {
      throw new IllegalArgumentException("the PIN is empty");
    }
    return new Pin(pin.clone());
  }

  /** The number of characters. */
  public synchronized int length() {
    return live().length;
  }

  /**
   * A fresh array with the UTF-8 bytes of the NFC-normalized PIN. The caller owns it and must wipe
   * it.
   */
  public synchronized byte[] utf8() {
    char[] c = live();
    CharSequence normalized =
        Normalizer.isNormalized(CharBuffer.wrap(c), Normalizer.Form.NFC)
            ? CharBuffer.wrap(c)
            : Normalizer.normalize(CharBuffer.wrap(c), Normalizer.Form.NFC);
    ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(normalized));
    byte[] out = new byte[bb.remaining()];
    bb.get(out);
    if (bb.hasArray()) {
      Arrays.fill(bb.array(), (byte) 0);
    }
    return out;
  }

  /** Overwrites the characters. Idempotent. */
  @Override
  public synchronized void close() {
    if (chars != null) {
      Arrays.fill(chars, '\0');
      chars = null;
    }
  }

  private char[] live() {
    if (chars == null) {
      throw new IllegalStateException("the PIN was wiped");
    }
    return chars;
  }

  @Override
  public String toString() {
    return "Pin[redacted]";
  }
}
