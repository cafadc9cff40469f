package dev.fleetvault.bundles.json;

import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.codec.Codec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, strict read access to a decoded JSON object. Every getter names the field (and the
 * object's context) in its {@link FormatException}; {@link #requireExactly} rejects unknown and
 * missing members so a format can be parsed with no silent extras.
 */
public final class JsonMap {
  private final Map<String, Object> map;
  private final String context;

  private JsonMap(Map<String, Object> map, String context) {
    this.map = map;
    this.context = context;
  }

  /**
   * Wraps a decoded value that must be an object.
   *
   * @param value decoded JSON
   * @param context a name for error messages, e.g. {@code "bundle"}
   */
  @SuppressWarnings("unchecked")
  public static JsonMap of(Object value, String context) {
    if (!(value instanceof Map<?, ?>)) {
      throw new FormatException(context + " is not a JSON object");
    }
    return new JsonMap((Map<String, Object>) value, context);
  }

  /** Requires the member names to be exactly {@code names}. */
  public JsonMap requireExactly(String... names) {
    Set<String> want = new TreeSet<>(Arrays.asList(names));
    for (String k : map.keySet()) {
      if (!want.contains(k)) {
        throw new FormatException(context + ": unknown field \"" + k + "\"");
      }
    }
    for (String k : want) {
      if (!map.containsKey(k)) {
        throw new FormatException(context + ": missing field \"" + k + "\"");
      }
    }
    return this;
  }

  /** Whether a member is present. */
  public boolean has(String name) {
    return map.containsKey(name);
  }

  private Object get(String name) {
    Object v = map.get(name);
    if (v == null) {
      throw new FormatException(context + ": missing field \"" + name + "\"");
    }
    return v;
  }

  /** A string member. */
  public String string(String name) {
    Object v = get(name);
    if (!(v instanceof String s)) {
      throw new FormatException(context + ": field \"" + name + "\" is not a string");
    }
    return s;
  }

  /** An integer member within {@code [min, max]}. */
  public long integer(String name, long min, long max) {
    Object v = get(name);
    if (!(v instanceof Long n)) {
      throw new FormatException(context + ": field \"" + name + "\" is not an integer");
    }
    if (n < min || n > max) {
      throw new FormatException(
          context + ": field \"" + name + "\" out of range [" + min + ", " + max + "]");
    }
    return n;
  }

  /** A non-negative integer member. */
  public long nonNegative(String name) {
    return integer(name, 0, CanonicalJson.MAX_SAFE);
  }

  /** A boolean member. */
  public boolean bool(String name) {
    Object v = get(name);
    if (!(v instanceof Boolean b)) {
      throw new FormatException(context + ": field \"" + name + "\" is not a boolean");
    }
    return b;
  }

  /** A lowercase-hex member of exactly {@code len} bytes (or any length when {@code len < 0}). */
  public byte[] hex(String name, int len) {
    byte[] b;
    try {
      b = Codec.hexDecode(string(name));
    } catch (IllegalArgumentException e) {
      throw new FormatException(context + ": field \"" + name + "\" is not lowercase hex");
    }
    if (len >= 0 && b.length != len) {
      throw new FormatException(context + ": field \"" + name + "\" must be " + len + " bytes");
    }
    return b;
  }

  /**
   * A standard-base64 (RFC 4648 §4, padded) member of {@code len} bytes (any length when {@code len
   * < 0}).
   */
  public byte[] base64(String name, int len) {
    byte[] b;
    try {
      b = Codec.b64Decode(string(name));
    } catch (IllegalArgumentException e) {
      throw new FormatException(context + ": field \"" + name + "\" is not canonical base64");
    }
    if (len >= 0 && b.length != len) {
      throw new FormatException(context + ": field \"" + name + "\" must be " + len + " bytes");
    }
    return b;
  }

  /** An array member. */
  public List<Object> list(String name) {
    Object v = get(name);
    if (!(v instanceof List<?> l)) {
      throw new FormatException(context + ": field \"" + name + "\" is not an array");
    }
    return new ArrayList<>(l);
  }

  /** An object member. */
  public JsonMap object(String name) {
    return JsonMap.of(get(name), context + "." + name);
  }

  /** An array of base64 strings, each of {@code len} bytes, at most {@code max} long. */
  public List<byte[]> base64List(String name, int len, int max) {
    List<Object> raw = list(name);
    if (raw.size() > max) {
      throw new FormatException(
          context + ": field \"" + name + "\" has more than " + max + " elements");
    }
    List<byte[]> out = new ArrayList<>(raw.size());
    for (Object o : raw) {
      if (!(o instanceof String s)) {
        throw new FormatException(context + ": field \"" + name + "\" has a non-string element");
      }
      byte[] b;
      try {
        b = Codec.b64Decode(s);
      } catch (IllegalArgumentException e) {
        throw new FormatException(context + ": field \"" + name + "\" has a non-base64 element");
      }
      if (b.length != len) {
        throw new FormatException(
            context + ": field \"" + name + "\" elements must be " + len + " bytes");
      }
      out.add(b);
    }
    return out;
  }

  /** The underlying sorted, unmodifiable map. */
  public Map<String, Object> asMap() {
    return map;
  }
}
