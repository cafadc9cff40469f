package dev.fleetvault.config.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML mapping read strictly: every read names the key, and {@link #finish()} rejects any key
 * that was not read (an unknown or misspelt key stops start-up). Errors say {@code file:line: key
 * 'a.b[0].c' ...}.
 *
 * <p>Guarantees: every failure is a {@link ConfigException} naming the file, the line and the
 * dotted key (never a raw parser or number-format exception); a key given twice in one mapping is
 * refused when the mapping is opened; integers are accepted only in plain decimal (underscores as
 * digit separators allowed) and inside the bounds the caller gives, other YAML 1.1 integer forms
 * (hexadecimal, octal, binary, base 60) are refused; a key present with no value is refused, never
 * read as a default. Not thread-safe: one parse on one thread.
 */
public final class YamlMap {
  private final String file;
  private final String path;
  private final MappingNode node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final Set<String> read = new LinkedHashSet<>();

  YamlMap(String file, String path, MappingNode node) {
    this.file = file;
    this.path = path;
    this.node = node;
    for (NodeTuple t : node.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode)) {
        throw error(t.getKeyNode(), "keys must be plain strings");
      }
      String key = ((ScalarNode) t.getKeyNode()).getValue();
      if (entries.put(key, t) != null) {
        throw error(t.getKeyNode(), "key '" + qualified(key) + "' appears twice");
      }
    }
  }

  /** The file name used in messages. */
  public String file() {
    return file;
  }

  /** The dotted path of this mapping inside the file ("" for the top level). */
  public String path() {
    return path;
  }

  /** Whether the key is present (does not mark it read). */
  public boolean has(String key) {
    return entries.containsKey(key);
  }

  /** A required string. */
  public String string(String key) {
    KeyRecorder.note(path, key, KeyRecorder.Kind.STRING, true, null, null, null);
    return scalar(require(key), key, Tag.STR, "a string");
  }

  /** An optional string. */
  public String string(String key, String dflt) {
    KeyRecorder.note(path, key, KeyRecorder.Kind.STRING, false, null, null, null);
    Node n = optional(key);
    return n == null ? dflt : scalar(n, key, Tag.STR, "a string");
  }

  /** A required integer in [min, max]. */
  public int integer(String key, int min, int max) {
    KeyRecorder.note(path, key, KeyRecorder.Kind.INTEGER, true, (long) min, (long) max, null);
    return toInt(require(key), key, min, max);
  }

  /** An optional integer in [min, max]. */
  public int integer(String key, int dflt, int min, int max) {
    KeyRecorder.note(path, key, KeyRecorder.Kind.INTEGER, false, (long) min, (long) max, dflt);
    Node n = optional(key);
    return n == null ? dflt : toInt(n, key, min, max);
  }

  /** An optional boolean. */
  public boolean bool(String key, boolean dflt) {
    KeyRecorder.note(path, key, KeyRecorder.Kind.BOOLEAN, false, null, null, dflt);
    Node n = optional(key);
    return n == null ? dflt : Boolean.parseBoolean(scalar(n, key, Tag.BOOL, "true or false"));
  }

  /**
   * A required string turned into a value by {@code parser}; an {@link IllegalArgumentException}
   * from the parser becomes a {@link ConfigException} at this key carrying the parser's message.
   *
   * @param kind how the key is recorded for the configuration schema
   * @param what what the value must be, for the message when it is not a string (e.g. "host:port")
   */
  public <T> T parsed(String key, KeyRecorder.Kind kind, String what, Function<String, T> parser) {
    KeyRecorder.note(path, key, kind, true, null, null, null);
    return parse(key, require(key), what, parser);
  }

  /** As {@link #parsed}, for an optional key: null when absent. */
  public <T> T parsedOrNull(
      String key, KeyRecorder.Kind kind, String what, Function<String, T> parser) {
    KeyRecorder.note(path, key, kind, false, null, null, null);
    Node n = optional(key);
    return n == null ? null : parse(key, n, what, parser);
  }

  private <T> T parse(String key, Node n, String what, Function<String, T> parser) {
    String text = scalar(n, key, Tag.STR, what);
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw error(n, "key '" + qualified(key) + "': " + e.getMessage());
    }
  }

  /** A required nested mapping. */
  public YamlMap map(String key) {
    KeyRecorder.note(path, key, KeyRecorder.Kind.MAP, true, null, null, null);
    return toMap(require(key), qualified(key));
  }

  /** An optional nested mapping, or null. */
  public YamlMap mapOrNull(String key) {
    KeyRecorder.note(path, key, KeyRecorder.Kind.MAP, false, null, null, null);
    Node n = optional(key);
    return n == null ? null : toMap(n, qualified(key));
  }

  /** A required, non-empty list of mappings. */
  public List<YamlMap> maps(String key) {
    KeyRecorder.note(path, key, KeyRecorder.Kind.MAPS, true, null, null, null);
    SequenceNode seq = sequence(require(key), key);
    List<YamlMap> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      out.add(toMap(seq.getValue().get(i), qualified(key) + "[" + i + "]"));
    }
    if (out.isEmpty()) {
      throw error(seq, "key '" + qualified(key) + "' must not be empty");
    }
    return out;
  }

  /** An optional list of strings (empty if absent). */
  public List<String> strings(String key) {
    KeyRecorder.note(path, key, KeyRecorder.Kind.STRINGS, false, null, null, null);
    Node n = optional(key);
    List<String> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    SequenceNode seq = sequence(n, key);
    for (int i = 0; i < seq.getValue().size(); i++) {
      out.add(scalar(seq.getValue().get(i), key + "[" + i + "]", Tag.STR, "a string"));
    }
    return out;
  }

  /**
   * An optional mapping of scalars handed as plain values (String, Long, Boolean) to a component
   * that checks its own keys (an HSM driver's settings). Nested structures are refused.
   */
  public Map<String, Object> plainScalars(String key) {
    KeyRecorder.note(path, key, KeyRecorder.Kind.SCALARS, false, null, null, null);
    Node n = optional(key);
    Map<String, Object> out = new LinkedHashMap<>();
    if (n == null) {
      return out;
    }
    YamlMap m = toMap(n, qualified(key));
    for (Map.Entry<String, NodeTuple> e : m.entries.entrySet()) {
      Node v = e.getValue().getValueNode();
      m.read.add(e.getKey());
      if (!(v instanceof ScalarNode)) {
        throw m.error(v, "key '" + m.qualified(e.getKey()) + "' must be a single value");
      }
      Tag tag = v.getTag();
      String text = ((ScalarNode) v).getValue();
      if (Tag.INT.equals(tag)) {
        out.put(e.getKey(), m.decimal(v, text, e.getKey()));
      } else if (Tag.BOOL.equals(tag)) {
        out.put(e.getKey(), Boolean.parseBoolean(text));
      } else if (Tag.NULL.equals(tag)) {
        throw m.error(v, "key '" + m.qualified(e.getKey()) + "' has no value");
      } else {
        out.put(e.getKey(), text);
      }
    }
    return out;
  }

  /** Rejects every key that was not read: an unknown key stops start-up. */
  public void finish() {
    for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
      if (!read.contains(e.getKey())) {
        throw error(
            e.getValue().getKeyNode(),
            "unknown key '"
                + qualified(e.getKey())
                + "' (allowed here: "
                + String.join(", ", read)
                + ")");
      }
    }
  }

  /** An error at the given key's value. */
  public ConfigException errorAt(String key, String message) {
    NodeTuple t = entries.get(key);
    return error(t == null ? node : t.getValueNode(), "key '" + qualified(key) + "': " + message);
  }

  private Node require(String key) {
    read.add(key);
    NodeTuple t = entries.get(key);
    if (t == null) {
      throw error(node, "missing required key '" + qualified(key) + "'");
    }
    return t.getValueNode();
  }

  private Node optional(String key) {
    read.add(key);
    NodeTuple t = entries.get(key);
    if (t == null) {
      return null;
    }
    if (t.getValueNode() instanceof ScalarNode && Tag.NULL.equals(t.getValueNode().getTag())) {
      throw error(t.getValueNode(), "key '" + qualified(key) + "' has no value");
    }
    return t.getValueNode();
  }

  private String scalar(Node n, String key, Tag tag, String what) {
    if (!(n instanceof ScalarNode) || !tag.equals(n.getTag())) {
      throw error(n, "key '" + qualified(key) + "' must be " + what);
    }
    return ((ScalarNode) n).getValue();
  }

  private int toInt(Node n, String key, int min, int max) {
    long v = decimal(n, scalar(n, key, Tag.INT, "an integer"), key);
    if (v < min || v > max) {
      throw error(
          n, "key '" + qualified(key) + "' must be between " + min + " and " + max + ", got " + v);
    }
    return (int) v;
  }

  /**
   * A YAML integer as a long. YAML 1.1 also tags hexadecimal, octal ({@code 010} is eight there),
   * binary and base-60 forms, and digits with underscores in odd places, as integers; only plain
   * decimal ({@code [-+]?(0|[1-9][0-9_]*)}, underscores as digit separators) is accepted, and
   * anything else, or a value outside the range of a long, is a configuration error at that key,
   * never a raw {@link NumberFormatException} and never a number read differently from YAML 1.1.
   */
  private long decimal(Node n, String text, String key) {
    if (!DECIMAL.matcher(text).matches()) {
      throw error(n, "key '" + qualified(key) + "' must be a decimal integer");
    }
    try {
      return Long.parseLong(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw error(n, "key '" + qualified(key) + "' must be a decimal integer");
    }
  }

  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[-+]?(0|[1-9][0-9_]*)");

  private SequenceNode sequence(Node n, String key) {
    if (!(n instanceof SequenceNode)) {
      throw error(n, "key '" + qualified(key) + "' must be a list");
    }
    return (SequenceNode) n;
  }

  private YamlMap toMap(Node n, String childPath) {
    if (!(n instanceof MappingNode)) {
      throw error(n, "key '" + childPath + "' must be a mapping (key: value lines)");
    }
    return new YamlMap(file, childPath, (MappingNode) n);
  }

  private String qualified(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private ConfigException error(Node at, String message) {
    int line = at.getStartMark() == null ? 0 : at.getStartMark().getLine() + 1;
    return new ConfigException(file + ":" + line + ": " + message);
  }
}
