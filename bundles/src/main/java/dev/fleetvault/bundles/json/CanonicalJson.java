package dev.fleetvault.bundles.json;

import dev.fleetvault.bundles.FormatException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small canonical JSON codec (RFC 8785 "JCS" rules restricted to the value types Fleetvault's
 * formats use): objects, arrays, strings, integers in {@code [-(2^53-1), 2^53-1]}, booleans, null.
 *
 * <p>Encoding: no whitespace; object members sorted by the UTF-16 code units of their names ({@link
 * String#compareTo}); strings escape only {@code "} {@code \} and control characters (as {@code \b
 * \f \n \r \t} or {@code \\u00xx} lowercase), everything else is written as UTF-8. Floats,
 * exponents and {@code -0} are not part of the format.
 *
 * <p>Why hand-written: the trusted core must not depend on a general-purpose JSON library whose
 * number handling, duplicate-key policy and member ordering are configuration-dependent; this codec
 * has one behaviour and {@link #parseCanonical} accepts exactly the bytes {@link #encode} produces,
 * so every value has one byte-exact encoding.
 *
 * <p>Decoded values: {@code Map<String,Object>} (sorted, unmodifiable), {@code List<Object>}
 * (unmodifiable), {@code String}, {@code Long}, {@code Boolean}, and {@link #NULL}.
 */
public final class CanonicalJson {
  /** The JSON {@code null} value (Java {@code null} is never a decoded value). */
  public static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  /** The largest integer magnitude accepted (2^53 - 1, the I-JSON safe range). */
  public static final long MAX_SAFE = (1L << 53) - 1;

  private static final int MAX_DEPTH = 32;
  private static final int MAX_BYTES = 1 << 20;

  private CanonicalJson() {}

  /**
   * Encodes a value canonically.
   *
   * @param value a Map with String keys, List, String, Integer/Long, Boolean or {@link #NULL}
   * @return UTF-8 bytes of the canonical encoding
   * @throws FormatException for unsupported types or out-of-range integers
   */
  public static byte[] encode(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Encodes canonically and returns the text. */
  public static String encodeToString(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.toString();
  }

  /**
   * Parses JSON strictly (valid UTF-8, no duplicate names, integers only, no trailing data).
   * Whitespace between tokens is accepted; use {@link #parseCanonical} where the exact bytes
   * matter.
   */
  public static Object parse(byte[] utf8) {
    if (utf8.length > MAX_BYTES) {
      throw new FormatException("JSON document larger than " + MAX_BYTES + " bytes");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
    } catch (CharacterCodingException e) {
      throw new FormatException("JSON is not valid UTF-8", e);
    }
    Parser p = new Parser(text);
    p.skipWs();
    Object v = p.value(0);
    p.skipWs();
    if (p.pos != text.length()) {
      throw new FormatException("trailing data after JSON value at offset " + p.pos);
    }
    return v;
  }

  /**
   * Parses and requires the input to be byte-for-byte the canonical encoding of its value.
   *
   * @throws FormatException if malformed or not canonical
   */
  public static Object parseCanonical(byte[] utf8) {
    Object v = parse(utf8);
    if (!Arrays.equals(encode(v), utf8)) {
      throw new FormatException(
          "JSON is not in canonical form (RFC 8785 style: sorted keys, no whitespace)");
    }
    return v;
  }

  /** Parses a JSON object strictly and wraps it for typed access. */
  public static JsonMap parseObject(byte[] utf8) {
    return JsonMap.of(parse(utf8), "document");
  }

  /** Parses a canonical JSON object and wraps it for typed access. */
  public static JsonMap parseCanonicalObject(byte[] utf8) {
    return JsonMap.of(parseCanonical(utf8), "document");
  }

  private static void write(StringBuilder sb, Object v, int depth) {
    if (depth > MAX_DEPTH) {
      throw new FormatException("JSON nesting deeper than " + MAX_DEPTH);
    }
    if (v == null || v == NULL) {
      sb.append("null");
    } else if (v instanceof Boolean b) {
      sb.append(b ? "true" : "false");
    } else if (v instanceof Integer || v instanceof Long) {
      long n = ((Number) v).longValue();
      if (n > MAX_SAFE || n < -MAX_SAFE) {
        throw new FormatException("integer out of the canonical range: " + n);
      }
      sb.append(n);
    } else if (v instanceof String s) {
      writeString(sb, s);
    } else if (v instanceof Map<?, ?> m) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new FormatException("JSON object key is not a string");
        }
        sorted.put(k, e.getValue());
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        writeString(sb, e.getKey());
        sb.append(':');
        write(sb, e.getValue(), depth + 1);
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(sb, l.get(i), depth + 1);
      }
      sb.append(']');
    } else {
      throw new FormatException(
          "type not allowed in canonical JSON: " + v.getClass().getSimpleName());
    }
  }

  private static void writeString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          sb.append(c).append(s.charAt(++i));
          continue;
        }
        throw new FormatException("string contains an unpaired surrogate");
      }
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    void skipWs() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          pos++;
        } else {
          break;
        }
      }
    }

    FormatException err(String what) {
      return new FormatException("malformed JSON at offset " + pos + ": " + what);
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw err("nesting deeper than " + MAX_DEPTH);
      }
      if (pos >= s.length()) {
        throw err("unexpected end");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object(depth);
        case '[':
          return array(depth);
        case '"':
          return string();
        case 't':
          literal("true");
          return Boolean.TRUE;
        case 'f':
          literal("false");
          return Boolean.FALSE;
        case 'n':
          literal("null");
          return NULL;
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw err("unexpected character");
      }
    }

    void literal(String word) {
      if (!s.startsWith(word, pos)) {
        throw err("expected " + word);
      }
      pos += word.length();
    }

    Object object(int depth) {
      pos++;
      TreeMap<String, Object> m = new TreeMap<>();
      skipWs();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return Collections.unmodifiableMap(m);
      }
      while (true) {
        skipWs();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw err("expected member name");
        }
        String k = string();
        skipWs();
        if (pos >= s.length() || s.charAt(pos) != ':') {
          throw err("expected ':'");
        }
        pos++;
        skipWs();
        Object v = value(depth + 1);
        if (m.put(k, v) != null) {
          throw err("duplicate member name \"" + k + "\"");
        }
        skipWs();
        if (pos >= s.length()) {
          throw err("unterminated object");
        }
        char c = s.charAt(pos++);
        if (c == '}') {
          return Collections.unmodifiableMap(m);
        }
        if (c != ',') {
          throw err("expected ',' or '}'");
        }
      }
    }

    Object array(int depth) {
      pos++;
      List<Object> l = new ArrayList<>();
      skipWs();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return Collections.unmodifiableList(l);
      }
      while (true) {
        skipWs();
        l.add(value(depth + 1));
        skipWs();
        if (pos >= s.length()) {
          throw err("unterminated array");
        }
        char c = s.charAt(pos++);
        if (c == ']') {
          return Collections.unmodifiableList(l);
        }
        if (c != ',') {
          throw err("expected ',' or ']'");
        }
      }
    }

    String string() {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw err("unterminated string");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          break;
        }
        if (c < 0x20) {
          throw err("raw control character in string");
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (pos >= s.length()) {
          throw err("unterminated escape");
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"' -> sb.append('"');
          case '\\' -> sb.append('\\');
          case '/' -> sb.append('/');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw err("short \\u escape");
            }
            int cp = 0;
            for (int i = 0; i < 4; i++) {
              int d = Character.digit(s.charAt(pos++), 16);
              if (d < 0) {
                throw err("bad hex digit in \\u escape");
              }
              cp = cp * 16 + d;
            }
            sb.append((char) cp);
          }
          default -> throw err("bad escape \\" + e);
        }
      }
      String out = sb.toString();
      for (int i = 0; i < out.length(); i++) {
        char c = out.charAt(i);
        if (Character.isHighSurrogate(c)
            && i + 1 < out.length()
            && Character.isLowSurrogate(out.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          throw err("unpaired surrogate in string");
        }
      }
      return out;
    }

    Long number() {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      int digitsStart = pos;
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        pos++;
      }
      if (pos == digitsStart) {
        throw err("expected digits");
      }
      if (pos < s.length()
          && (s.charAt(pos) == '.' || s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        throw err("only integers are allowed");
      }
      String digits = s.substring(digitsStart, pos);
      if (digits.length() > 1 && digits.charAt(0) == '0') {
        throw err("leading zero");
      }
      if (digits.length() > 16) {
        throw err("integer out of range");
      }
      long n = Long.parseLong(s.substring(start, pos));
      if (n > MAX_SAFE || n < -MAX_SAFE) {
        throw err("integer out of range");
      }
      if (n == 0 && s.charAt(start) == '-') {
        throw err("negative zero");
      }
      return n;
    }
  }
}
