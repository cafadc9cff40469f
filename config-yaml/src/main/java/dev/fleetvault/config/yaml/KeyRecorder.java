package dev.fleetvault.config.yaml;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records, while a configuration file is parsed on this thread, every key the parser reads and how
 * (its kind, whether required, its bounds and default): the configuration model as the parser
 * itself defines it, from which a JSON Schema can be written (the node's {@code ConfigSchema}). Off
 * unless {@link #start()} was called on the thread; never affects parsing.
 */
public final class KeyRecorder {

  /** How a key was read. */
  public enum Kind {
    STRING,
    INTEGER,
    BOOLEAN,
    /** A {@code host:port} string. */
    HOST_PORT,
    MAP,
    MAPS,
    STRINGS,
    SCALARS
  }

  /** One key as read: kind, required, integer bounds and default (null where none). */
  public record Key(Kind kind, boolean required, Long min, Long max, Object dflt) {}

  private static final ThreadLocal<KeyRecorder> CURRENT = new ThreadLocal<>();

  /**
   * Mapping path ("" top level, list items as {@code []}) -> key -> how it was read, in reading
   * order.
   */
  private final Map<String, Map<String, Key>> keys = new LinkedHashMap<>();

  private KeyRecorder() {}

  /** Starts recording on this thread (merging into what was recorded before). */
  public static KeyRecorder start() {
    KeyRecorder r = CURRENT.get();
    if (r == null) {
      r = new KeyRecorder();
      CURRENT.set(r);
    }
    return r;
  }

  /** Stops recording on this thread. */
  public static void stop() {
    CURRENT.remove();
  }

  /** What was recorded. */
  public Map<String, Map<String, Key>> keys() {
    return keys;
  }

  static void note(
      String path, String key, Kind kind, boolean required, Long min, Long max, Object dflt) {
    KeyRecorder r = CURRENT.get();
    if (r == null) {
      return;
    }
    String p = path.replaceAll("\\[\\d+\\]", "[]");
    Key k = new Key(kind, required, min, max, dflt);
    r.keys
        .computeIfAbsent(p, x -> new LinkedHashMap<>())
        .merge(
            key,
            k,
            (a, b) ->
                new Key(
                    a.kind(),
                    a.required() || b.required(),
                    a.min(),
                    a.max(),
                    a.dflt() != null ? a.dflt() : b.dflt()));
  }
}
