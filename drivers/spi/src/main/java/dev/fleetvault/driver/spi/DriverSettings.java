package dev.fleetvault.driver.spi;

import dev.fleetvault.driver.spi.impl.CredentialReader;
import dev.fleetvault.driver.spi.impl.SettingsLineParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A strict, read-only view of one driver's configuration section (for example the {@code
 * hsm.settings} map of a node's YAML).
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Every error is an {@link HsmFatalException} of kind {@link HsmException.Kind#CONFIG} whose
 *       message names the source and the key, and says what is expected.
 *   <li>Keys are lower-case {@code snake_case}; values are scalars (string, number, boolean).
 *   <li>Credentials are never inline: {@link #secret(String)} reads {@code <key>_file} (a file,
 *       trailing newline stripped) or {@code <key>_env} (an environment variable) into {@link
 *       SecretChars}; an inline {@code <key>} is rejected.
 *   <li>Relative paths resolve against {@link #baseDir()} (the directory of the config file).
 * </ul>
 */
public final class DriverSettings {

  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

  private final String sourceName;
  private final Map<String, Object> values;
  private final Path baseDir;
  private final Map<String, String> environment;

  private DriverSettings(
      String sourceName,
      Map<String, Object> values,
      Path baseDir,
      Map<String, String> environment) {
    this.sourceName = sourceName;
    this.values = values;
    this.baseDir = baseDir;
    this.environment = environment;
  }

  /**
   * A view of {@code values} (copied). {@code sourceName} says where they came from in messages
   * (for example {@code "config/node-1.yaml: hsm.settings"}); relative paths resolve against {@code
   * baseDir}. Credentials named {@code <key>_env} are read from the process environment.
   *
   * @throws HsmFatalException kind CONFIG for a key that is not lower-case snake_case or a value
   *     that is not a scalar
   */
  public static DriverSettings of(String sourceName, Map<String, ?> values, Path baseDir)
      throws HsmFatalException {
    return of(sourceName, values, baseDir, System.getenv());
  }

  /**
   * As {@link #of(String, Map, Path)} with an explicit environment for {@code <key>_env}
   * credentials (tests, embedding).
   */
  public static DriverSettings of(
      String sourceName, Map<String, ?> values, Path baseDir, Map<String, String> environment)
      throws HsmFatalException {
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(baseDir, "baseDir");
    Objects.requireNonNull(environment, "environment");
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      String key = e.getKey();
      if (key == null || !KEY.matcher(key).matches()) {
        throw configError(
            sourceName,
            String.valueOf(key),
            "keys must be lower-case snake_case ([a-z][a-z0-9_]*)");
      }
      Object v = e.getValue();
      if (v != null && !(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        throw configError(
            sourceName,
            key,
            "expected a single value (string, number or boolean), got "
                + v.getClass().getSimpleName());
      }
      copy.put(key, v);
    }
    return new DriverSettings(
        sourceName,
        Collections.unmodifiableMap(copy),
        baseDir.toAbsolutePath().normalize(),
        Map.copyOf(environment));
  }

  /**
   * Parses a {@code key = value} text file (one setting a line, {@code #} comments, blank lines
   * ignored), rejecting malformed lines and duplicate keys with their line numbers.
   */
  public static DriverSettings parseFile(Path file) throws HsmFatalException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new HsmFatalException(
          HsmException.Kind.CONFIG, file + ": cannot read settings file: " + e.getMessage(), e);
    }
    Path parent = file.toAbsolutePath().getParent();
    return of(
        file.toString(),
        SettingsLineParser.parse(file.toString(), lines),
        parent == null ? Path.of("/") : parent);
  }

  /** Where these settings came from, for messages. */
  public String sourceName() {
    return sourceName;
  }

  /** The directory relative paths resolve against (absolute). */
  public Path baseDir() {
    return baseDir;
  }

  /** The keys present, in source order. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(values.keySet());
  }

  /** Whether {@code key} is present (even with an empty value). */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /**
   * Rejects every key not in {@code allowed}, naming all offenders and listing what is accepted.
   * Secret settings must be listed in their {@code <key>_file}/{@code <key>_env} forms (see {@link
   * #secretKeys(String)}).
   */
  public void rejectUnknown(Collection<String> allowed) throws HsmFatalException {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw new HsmFatalException(
          HsmException.Kind.CONFIG,
          sourceName
              + ": unknown key"
              + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", unknown)
              + "; accepted keys: "
              + String.join(", ", new TreeSet<>(allowed)));
    }
  }

  /** Varargs form of {@link #rejectUnknown(Collection)}. */
  public void rejectUnknown(String... allowed) throws HsmFatalException {
    rejectUnknown(Arrays.asList(allowed));
  }

  /**
   * The two setting keys a secret named {@code key} may use: {@code key_file} and {@code key_env}.
   */
  public static List<String> secretKeys(String key) {
    return List.of(key + "_file", key + "_env");
  }

  /** Throws if more than one of {@code keys} is present (contradictory settings), naming them. */
  public void atMostOneOf(String... keys) throws HsmFatalException {
    List<String> present = present(keys);
    if (present.size() > 1) {
      throw new HsmFatalException(
          HsmException.Kind.CONFIG,
          sourceName
              + ": contradictory keys "
              + String.join(" and ", present)
              + "; set only one of "
              + String.join(", ", keys));
    }
  }

  /** Throws unless exactly one of {@code keys} is present, naming them. */
  public void exactlyOneOf(String... keys) throws HsmFatalException {
    atMostOneOf(keys);
    if (present(keys).isEmpty()) {
      throw new HsmFatalException(
          HsmException.Kind.CONFIG,
          sourceName + ": missing key; set one of " + String.join(", ", keys));
    }
  }

  private List<String> present(String... keys) {
    List<String> present = new ArrayList<>();
    for (String k : keys) {
      if (values.containsKey(k)) {
        present.add(k);
      }
    }
    return present;
  }

  /** A required non-blank string. */
  public String string(String key) throws HsmFatalException {
    return optionalString(key)
        .orElseThrow(() -> configError(sourceName, key, "missing; a value is required"));
  }

  /** An optional non-blank string (present but blank is an error). */
  public Optional<String> optionalString(String key) throws HsmFatalException {
    if (!values.containsKey(key)) {
      return Optional.empty();
    }
    Object v = values.get(key);
    if (v == null || v.toString().isBlank()) {
      throw configError(sourceName, key, "must not be empty");
    }
    return Optional.of(v.toString().trim());
  }

  /** An integer in {@code [min, max]}, or {@code defaultValue} when absent. */
  public int intValue(String key, int defaultValue, int min, int max) throws HsmFatalException {
    Optional<String> s = optionalString(key);
    if (s.isEmpty()) {
      return defaultValue;
    }
    long v;
    try {
      v = Long.parseLong(s.get());
    } catch (NumberFormatException e) {
      throw configError(sourceName, key, "expected an integer, got '" + s.get() + "'");
    }
    if (v < min || v > max) {
      throw configError(sourceName, key, "must be between " + min + " and " + max + ", got " + v);
    }
    return (int) v;
  }

  /** A required integer in {@code [min, max]}. */
  public int intValue(String key, int min, int max) throws HsmFatalException {
    string(key);
    return intValue(key, 0, min, max);
  }

  /** A boolean ({@code true}/{@code false} only), or {@code defaultValue} when absent. */
  public boolean bool(String key, boolean defaultValue) throws HsmFatalException {
    Optional<String> s = optionalString(key);
    if (s.isEmpty()) {
      return defaultValue;
    }
    String v = s.get().toLowerCase(Locale.ROOT);
    if (v.equals("true")) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw configError(sourceName, key, "expected true or false, got '" + s.get() + "'");
  }

  /**
   * A positive duration written as {@code 250ms}, {@code 5s}, {@code 2m} or ISO-8601 ({@code
   * PT5S}), or {@code defaultValue} when absent.
   */
  public Duration duration(String key, Duration defaultValue) throws HsmFatalException {
    Optional<String> s = optionalString(key);
    if (s.isEmpty()) {
      return defaultValue;
    }
    String v = s.get();
    Duration d;
    var m = SIMPLE_DURATION.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
          };
    } else {
      try {
        d = Duration.parse(v);
      } catch (DateTimeParseException e) {
        throw configError(
            sourceName, key, "expected a duration like 250ms, 5s, 2m or PT5S, got '" + v + "'");
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw configError(sourceName, key, "must be positive, got '" + v + "'");
    }
    return d;
  }

  /** A required path, resolved against {@link #baseDir()} when relative. */
  public Path path(String key) throws HsmFatalException {
    return optionalPath(key)
        .orElseThrow(() -> configError(sourceName, key, "missing; a path is required"));
  }

  /** An optional path, resolved against {@link #baseDir()} when relative. */
  public Optional<Path> optionalPath(String key) throws HsmFatalException {
    Optional<String> s = optionalString(key);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(baseDir.resolve(s.get()).normalize());
    } catch (RuntimeException e) {
      throw configError(sourceName, key, "not a valid path: '" + s.get() + "'");
    }
  }

  /**
   * A required path that must be written absolute (for example a PKCS#11 library, so no search path
   * is involved).
   */
  public Path absolutePath(String key) throws HsmFatalException {
    String s = string(key);
    Path p;
    try {
      p = Path.of(s);
    } catch (RuntimeException e) {
      throw configError(sourceName, key, "not a valid path: '" + s + "'");
    }
    if (!p.isAbsolute()) {
      throw configError(sourceName, key, "must be an absolute path, got '" + s + "'");
    }
    return p.normalize();
  }

  /**
   * A required credential named {@code key}, read from {@code <key>_file} or {@code <key>_env}
   * (exactly one). An inline {@code <key>} is rejected. The caller wipes the result.
   */
  public SecretChars secret(String key) throws HsmFatalException {
    return optionalSecret(key)
        .orElseThrow(
            () ->
                new HsmFatalException(
                    HsmException.Kind.CONFIG,
                    sourceName
                        + ": missing credential; set "
                        + key
                        + "_file (a file holding it) or "
                        + key
                        + "_env (an environment variable)"));
  }

  /**
   * As {@link #secret(String)}, but empty when neither {@code <key>_file} nor {@code <key>_env} is
   * set.
   */
  public Optional<SecretChars> optionalSecret(String key) throws HsmFatalException {
    if (values.containsKey(key)) {
      throw configError(
          sourceName,
          key,
          "credentials must not be written in configuration; use "
              + key
              + "_file or "
              + key
              + "_env");
    }
    String fileKey = key + "_file";
    String envKey = key + "_env";
    atMostOneOf(fileKey, envKey);
    if (values.containsKey(fileKey)) {
      return Optional.of(CredentialReader.fromFile(sourceName, fileKey, path(fileKey)));
    }
    if (values.containsKey(envKey)) {
      return Optional.of(CredentialReader.fromEnv(sourceName, envKey, string(envKey), environment));
    }
    return Optional.empty();
  }

  /** A CONFIG error naming {@code source} and {@code key}. */
  public static HsmFatalException configError(String source, String key, String problem) {
    return new HsmFatalException(
        HsmException.Kind.CONFIG, source + ": key '" + key + "': " + problem);
  }

  @Override
  public String toString() {
    return "DriverSettings[" + sourceName + ", keys=" + values.keySet() + "]";
  }
}
