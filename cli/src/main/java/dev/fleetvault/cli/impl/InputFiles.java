package dev.fleetvault.cli.impl;

import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the small secret-bearing files the CLI takes ({@code --secret-file}, {@code --pin-file}).
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Only regular files are opened: a device ({@code /dev/zero}), a FIFO nobody writes, a socket
 *       or a directory is refused with {@link ExitCodes#USAGE} before it is opened, so the command
 *       can neither hang nor run out of memory on it.
 *   <li>At most {@code maxBytes + 1} bytes are read whatever the file's size; a longer file is
 *       refused with {@link ExitCodes#USAGE}. Intermediate buffers are wiped; the caller wipes the
 *       returned array.
 *   <li>Messages name the option and the file, never its content.
 * </ul>
 */
public final class InputFiles {
  private InputFiles() {}

  /**
   * The bytes of {@code file}, given with option {@code option}, at most {@code maxBytes} long.
   *
   * @throws CliException {@link ExitCodes#USAGE} for a missing, non-regular or too large file,
   *     {@link ExitCodes#FAILURE} for an I/O error while reading
   */
  public static byte[] readSmall(Path file, String option, int maxBytes) {
    if (!Files.exists(file)) {
      throw new CliException(ExitCodes.USAGE, option + " " + file + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new CliException(
          ExitCodes.USAGE,
          option
              + " "
              + file
              + " is not a regular file (devices, FIFOs, sockets and directories are refused)");
    }
    byte[] buf = new byte[maxBytes + 1];
    int n = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while (n < buf.length && (r = in.read(buf, n, buf.length - n)) != -1) {
        n += r;
      }
      if (n > maxBytes) {
        throw new CliException(
            ExitCodes.USAGE, option + " " + file + " is larger than " + maxBytes + " bytes");
      }
      return Arrays.copyOf(buf, n);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.FAILURE,
          "cannot read " + option + " " + file + ": " + e.getClass().getSimpleName());
    } finally {
      Arrays.fill(buf, (byte) 0);
    }
  }

  /** Whether {@code path} exists without following a final symbolic link. */
  public static boolean existsNoFollow(Path path) {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Checks a user id given on the command line: 1..128 bytes of UTF-8, as PROTOCOL.md allows.
   *
   * @throws CliException {@link ExitCodes#USAGE} otherwise
   */
  public static String checkUser(String user) {
    int len = user == null ? 0 : user.getBytes(StandardCharsets.UTF_8).length;
    if (len < 1 || len > 128) {
      throw new CliException(
          ExitCodes.USAGE, "--user must be 1..128 bytes of UTF-8, got " + len + " bytes");
    }
    return user;
  }
}
