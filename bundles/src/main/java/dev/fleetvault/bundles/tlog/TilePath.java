package dev.fleetvault.bundles.tlog;

import dev.fleetvault.bundles.FormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * A C2SP tlog-tiles resource path: {@code tile/<L>/<N>[.p/<W>]} for hash tiles or {@code
 * tile/entries/<N>[.p/<W>]} for entry bundles, where {@code N} is written in zero-padded 3-digit
 * path elements, all but the last prefixed with {@code x} (1234067 → {@code x001/x234/067}).
 *
 * @param level tile level 0..63, or {@link #ENTRIES} for an entry bundle
 * @param index tile index within its level
 * @param width number of hashes/entries: 256 for a full tile, 1..255 for a partial one
 */
public record TilePath(int level, long index, int width) {
  /** Level value marking an entry bundle. */
  public static final int ENTRIES = -1;

  /** Hashes (or entries) in a full tile. */
  public static final int FULL_WIDTH = 256;

  /** Validates. */
  public TilePath {
    if (level < ENTRIES || level > 63) {
      throw new FormatException("tile level out of range");
    }
    if (index < 0) {
      throw new FormatException("tile index is negative");
    }
    if (width < 1 || width > FULL_WIDTH) {
      throw new FormatException("tile width out of range");
    }
  }

  /** Whether this is an entry bundle. */
  public boolean isEntries() {
    return level == ENTRIES;
  }

  /** The path (without a leading slash), e.g. {@code tile/0/x001/234.p/7}. */
  public String format() {
    StringBuilder sb = new StringBuilder("tile/");
    sb.append(isEntries() ? "entries" : Integer.toString(level))
        .append('/')
        .append(encodeIndex(index));
    if (width < FULL_WIDTH) {
      sb.append(".p/").append(width);
    }
    return sb.toString();
  }

  /** Encodes a tile index as 3-digit path elements. */
  public static String encodeIndex(long n) {
    List<String> parts = new ArrayList<>();
    do {
      parts.add(0, String.format("%03d", n % 1000));
      n /= 1000;
    } while (n > 0);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        sb.append('/');
      }
      if (i < parts.size() - 1) {
        sb.append('x');
      }
      sb.append(parts.get(i));
    }
    return sb.toString();
  }

  /**
   * Parses a path such as {@code tile/1/x001/234} or {@code tile/entries/000.p/5} (leading slash
   * allowed).
   */
  public static TilePath parse(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (!p.startsWith("tile/")) {
      throw new FormatException("tile path must start with tile/");
    }
    String[] parts = p.substring(5).split("/", -1);
    if (parts.length < 2) {
      throw new FormatException("tile path too short");
    }
    int level;
    if (parts[0].equals("entries")) {
      level = ENTRIES;
    } else {
      if (!parts[0].matches("0|[1-9][0-9]?")) {
        throw new FormatException("tile level is not a canonical decimal");
      }
      level = Integer.parseInt(parts[0]);
    }
    int width = FULL_WIDTH;
    int end = parts.length;
    String last = parts[end - 1];
    if (end >= 3 && parts[end - 2].endsWith(".p")) {
      if (!last.matches("[1-9][0-9]{0,2}")) {
        throw new FormatException("partial tile width is not a canonical decimal");
      }
      width = Integer.parseInt(last);
      if (width >= FULL_WIDTH) {
        throw new FormatException("partial tile width must be below 256");
      }
      parts[end - 2] = parts[end - 2].substring(0, parts[end - 2].length() - 2);
      end--;
    }
    if (end - 1 > 7) {
      throw new FormatException("tile index too long");
    }
    long index = 0;
    for (int i = 1; i < end; i++) {
      String e = parts[i];
      boolean lastElem = i == end - 1;
      if (!lastElem) {
        if (!e.startsWith("x")) {
          throw new FormatException("non-final tile index element must start with x");
        }
        e = e.substring(1);
      }
      if (!e.matches("[0-9]{3}")) {
        throw new FormatException("tile index element must be 3 digits");
      }
      try {
        index = Math.addExact(Math.multiplyExact(index, 1000L), Integer.parseInt(e));
      } catch (ArithmeticException ex) {
        throw new FormatException("tile index out of range");
      }
    }
    TilePath t = new TilePath(level, index, width);
    if (!t.format().equals(p)) {
      throw new FormatException("tile path is not canonical");
    }
    return t;
  }
}
