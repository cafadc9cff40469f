package dev.fleetvault.protocol.hpke;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the RFC 9180 Appendix A text vectors: one {@link Section} per mode with its setup fields,
 * encryptions and exports; hex values may wrap over several lines.
 */
final class Rfc9180Text {
  private static final Pattern HEX_LINE = Pattern.compile("^[0-9a-f]+$");
  private static final Pattern KEY_LINE = Pattern.compile("^([A-Za-z_ ]+):\\s*(.*)$");

  /** One mode's vectors. */
  static final class Section {
    final String title;
    final Map<String, String> setup = new LinkedHashMap<>();
    final List<Map<String, String>> encryptions = new ArrayList<>();
    final List<Map<String, String>> exports = new ArrayList<>();

    Section(String title) {
      this.title = title;
    }
  }

  private Rfc9180Text() {}

  static List<Section> parse(String text) {
    List<Section> sections = new ArrayList<>();
    Section cur = null;
    List<Map<String, String>> target = null;
    Map<String, String> record = null;
    String lastKey = null;
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("### ")) {
        cur = new Section(line.substring(4));
        sections.add(cur);
        record = cur.setup;
        target = null;
        lastKey = null;
      } else if (line.startsWith("#### Encryptions")) {
        target = cur.encryptions;
        record = null;
      } else if (line.startsWith("#### Exported Values")) {
        target = cur.exports;
        record = null;
      } else if (line.isEmpty() || line.startsWith("~~~") || line.startsWith("#")) {
        if (line.isEmpty() && target != null) {
          record = null;
        }
      } else if (cur != null
          && HEX_LINE.matcher(line).matches()
          && lastKey != null
          && record != null
          && !line.contains(":")) {
        record.put(lastKey, record.get(lastKey) + line);
      } else if (cur != null) {
        var m = KEY_LINE.matcher(line);
        if (!m.matches()) {
          throw new IllegalArgumentException("unparsed line: " + line);
        }
        String key = m.group(1).strip();
        if (target != null && (record == null || record.containsKey(key))) {
          record = new LinkedHashMap<>();
          target.add(record);
        }
        record.put(key, m.group(2).strip());
        lastKey = key;
      }
    }
    return sections;
  }
}
