package dev.fleetvault.signer.impl;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Strict YAML loading: safe constructor, no duplicate keys, no aliases, typed getters that name the
 * key.
 */
public final class StrictYaml {
  private final String source;
  private final Map<String, Object> map;

  private StrictYaml(String source, Map<String, Object> map) {
    this.source = source;
    this.map = map;
  }

  /** Loads a YAML file whose top level is a mapping. */
  @SuppressWarnings("unchecked")
  public static StrictYaml load(Path file) throws IOException {
    LoaderOptions o = new LoaderOptions();
    o.setAllowDuplicateKeys(false);
    o.setMaxAliasesForCollections(0);
    o.setAllowRecursiveKeys(false);
    o.setCodePointLimit(1 << 20);
    Object doc;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      doc = new Yaml(new SafeConstructor(o)).load(r);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
    }
    if (!(doc instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(file + ": the top level must be a mapping");
    }
    return new StrictYaml(file.toString(), (Map<String, Object>) doc);
  }

  /** Wraps a nested mapping. */
  public static StrictYaml of(String source, Map<String, Object> map) {
    return new StrictYaml(source, map);
  }

  private IllegalArgumentException err(String key, String problem) {
    return new IllegalArgumentException(source + ": " + key + ": " + problem);
  }

  /** Rejects keys outside {@code allowed}. */
  public void rejectUnknown(String... allowed) {
    Set<String> a = Set.of(allowed);
    for (Object k : map.keySet()) {
      if (!(k instanceof String s) || !a.contains(s)) {
        throw err(String.valueOf(k), "unknown key (allowed: " + String.join(", ", allowed) + ")");
      }
    }
  }

  /** Whether the key is present. */
  public boolean has(String key) {
    return map.containsKey(key);
  }

  /** A required string. */
  public String string(String key) {
    Object v = map.get(key);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw err(key, "required non-empty string");
    }
    return s;
  }

  /** A required integer in range. */
  public int integer(String key, int min, int max) {
    Object v = map.get(key);
    if (!(v instanceof Integer i) || i < min || i > max) {
      throw err(key, "required integer in [" + min + ", " + max + "]");
    }
    return i;
  }

  /** A required nested mapping. */
  @SuppressWarnings("unchecked")
  public StrictYaml section(String key) {
    Object v = map.get(key);
    if (!(v instanceof Map<?, ?>)) {
      throw err(key, "required mapping");
    }
    return new StrictYaml(source + ": " + key, (Map<String, Object>) v);
  }

  /** A list of strings (empty if absent). */
  public List<String> stringList(String key) {
    Object v = map.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l) || !l.stream().allMatch(x -> x instanceof String)) {
      throw err(key, "must be a list of strings");
    }
    return l.stream().map(String.class::cast).toList();
  }

  /** The raw map. */
  public Map<String, Object> raw() {
    return map;
  }

  /** The source name. */
  public String source() {
    return source;
  }
}
