package dev.fleetvault.cli.impl;

import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ExitCodes;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a PIN as {@code char[]} (never a {@link String}) from a file, the terminal or standard
 * input, wiping every intermediate buffer. The caller wipes the returned array.
 */
public final class PinInput {
  /** Longest PIN accepted, in characters. */
  public static final int MAX_CHARS = 1024;

  private PinInput() {}

  /**
   * Reads the PIN: from {@code pinFile} when given, else from the terminal (no echo) when {@code
   * in} is the process's standard input attached to a terminal, else the first line of {@code in}.
   *
   * @throws CliException with {@link ExitCodes#USAGE} when the PIN is empty, {@link
   *     ExitCodes#FAILURE} on I/O errors
   */
  public static char[] read(Path pinFile, InputStream in, String prompt) {
    char[] pin;
    if (pinFile != null) {
      pin = fromFile(pinFile);
    } else {
      Console console = System.console();
      if (in == System.in && console != null) {
        pin = console.readPassword("%s", prompt);
        if (pin == null) {
          pin = new char[0];
        }
      } else {
        pin = firstLine(in);
      }
    }
    if (pin.length == 0) {
      throw new CliException(
          ExitCodes.USAGE, "the PIN is empty (give it on standard input or with --pin-file)");
    }
    return pin;
  }

  private static char[] fromFile(Path file) {
    byte[] raw = InputFiles.readSmall(file, "--pin-file", MAX_CHARS * 4 + 2);
    try {
      return firstLine(new java.io.ByteArrayInputStream(raw));
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** The characters up to the first line break or end of stream, without the line break. */
  static char[] firstLine(InputStream in) {
    byte[] buf = new byte[64];
    int n = 0;
    try {
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        if (n == MAX_CHARS * 4) {
          throw new CliException(
              ExitCodes.USAGE, "the PIN is longer than " + MAX_CHARS + " characters");
        }
        if (n == buf.length) {
          byte[] bigger = Arrays.copyOf(buf, buf.length * 2);
          Arrays.fill(buf, (byte) 0);
          buf = bigger;
        }
        buf[n++] = (byte) b;
      }
      if (n > 0 && buf[n - 1] == '\r') {
        n--;
      }
      return decode(buf, n);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.FAILURE, "cannot read the PIN: " + e.getClass().getSimpleName());
    } finally {
      Arrays.fill(buf, (byte) 0);
    }
  }

  private static char[] decode(byte[] buf, int n) {
    CharBuffer cb;
    try {
      cb =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(buf, 0, n));
    } catch (CharacterCodingException e) {
      throw new CliException(ExitCodes.USAGE, "the PIN is not valid UTF-8");
    }
    char[] pin = new char[cb.remaining()];
    cb.get(pin);
    Arrays.fill(cb.array(), '\0');
    return pin;
  }
}
