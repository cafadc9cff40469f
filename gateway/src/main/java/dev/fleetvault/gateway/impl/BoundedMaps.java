package dev.fleetvault.gateway.impl;

import java.util.LinkedHashMap;
import java.util.Map;

/** Size-bounded maps for the node's in-memory caches (not thread-safe: callers synchronize). */
public final class BoundedMaps {
  private BoundedMaps() {}

  /**
   * A map that forgets its eldest entry whenever it holds more than {@code max} entries.
   *
   * @param max most entries kept (at least 1)
   * @param accessOrder true: eldest = least recently used; false: eldest = first inserted
   */
  public static <K, V> Map<K, V> evictingBeyond(int max, boolean accessOrder) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    return new LinkedHashMap<>(Math.min(max, 1024), 0.75f, accessOrder) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }
}
