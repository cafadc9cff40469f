package dev.fleetvault.driver.spi.impl;

import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.SecretChars;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Reads credentials from a file or an environment variable into wipeable {@link SecretChars}. */
public final class CredentialReader {

  private static final int MAX_BYTES = 4096;

  private CredentialReader() {}

  /** Reads the file as UTF-8, strips one trailing line break, wipes intermediate buffers. */
  public static SecretChars fromFile(String source, String key, Path file)
      throws HsmFatalException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw DriverSettings.configError(
            source, key, "credential file " + file + " is larger than " + MAX_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw DriverSettings.configError(
          source,
          key,
          "cannot read credential file " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    try {
      CharBuffer cb =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      int len = cb.remaining();
      char[] all = new char[len];
      cb.get(all);
      Arrays.fill(cb.array(), '\0');
      int end = len;
      if (end > 0 && all[end - 1] == '\n') {
        end--;
      }
      if (end > 0 && all[end - 1] == '\r') {
        end--;
      }
      char[] out = Arrays.copyOf(all, end);
      Arrays.fill(all, '\0');
      if (out.length == 0) {
        throw DriverSettings.configError(source, key, "credential file " + file + " is empty");
      }
      return SecretChars.takeOwnership(out);
    } catch (CharacterCodingException e) {
      throw DriverSettings.configError(source, key, "credential file " + file + " is not UTF-8");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Reads the environment variable {@code varName}; it must be set and non-empty. */
  public static SecretChars fromEnv(
      String source, String key, String varName, Map<String, String> env) throws HsmFatalException {
    String v = env.get(varName);
    if (v == null || v.isEmpty()) {
      throw DriverSettings.configError(
          source, key, "environment variable " + varName + " is not set or empty");
    }
    return SecretChars.takeOwnership(v.toCharArray());
  }
}
