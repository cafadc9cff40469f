package dev.fleetvault.driver.spi.impl;

import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmFatalException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code key = value} lines strictly: malformed lines and duplicate keys are errors with
 * line numbers.
 */
public final class SettingsLineParser {

  private SettingsLineParser() {}

  /** Returns the settings in file order. */
  public static Map<String, String> parse(String source, List<String> lines)
      throws HsmFatalException {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, Integer> lineOf = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new HsmFatalException(
            HsmException.Kind.CONFIG, source + ":" + lineNo + ": expected 'key = value'");
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      Integer first = lineOf.putIfAbsent(key, lineNo);
      if (first != null) {
        throw new HsmFatalException(
            HsmException.Kind.CONFIG,
            source
                + ":"
                + lineNo
                + ": duplicate key '"
                + key
                + "' (first set on line "
                + first
                + ")");
      }
      out.put(key, value);
    }
    return out;
  }
}
