package dev.fleetvault.loadgen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal reader of the Prometheus text exposition format (version 0.0.4): the samples of one
 * metric name with their labels. Comment lines ({@code # HELP}, {@code # TYPE}) and other metrics
 * are skipped; a sample line that cannot be read is an error naming the line, never silently
 * dropped.
 */
final class PrometheusText {
  /** One sample: its labels (in order of appearance) and its value. */
  record Sample(Map<String, String> labels, double value) {}

  private PrometheusText() {}

  /** Every sample of {@code metric} in {@code text}. */
  static List<Sample> samples(String text, String metric) {
    List<Sample> out = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || !line.startsWith(metric)) {
        continue;
      }
      String rest = line.substring(metric.length());
      if (!rest.startsWith("{") && !rest.startsWith(" ")) {
        continue; // another metric whose name starts with this one
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (rest.startsWith("{")) {
        int end = parseLabels(rest, labels, line);
        rest = rest.substring(end + 1);
      }
      String[] fields = rest.strip().split("\\s+");
      if (fields.length < 1 || fields[0].isEmpty()) {
        throw new IllegalArgumentException("metric line without a value: " + line);
      }
      double value;
      try {
        value =
            switch (fields[0]) {
              case "+Inf" -> Double.POSITIVE_INFINITY;
              case "-Inf" -> Double.NEGATIVE_INFINITY;
              case "NaN" -> Double.NaN;
              default -> Double.parseDouble(fields[0]);
            };
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("metric line with a bad value: " + line);
      }
      out.add(new Sample(Map.copyOf(labels), value));
    }
    return out;
  }

  /**
   * Reads {@code {a="x",b="y"}} from the start of {@code s}; returns the index of the closing
   * brace.
   */
  private static int parseLabels(String s, Map<String, String> labels, String line) {
    int i = 1;
    while (true) {
      while (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == ' ')) {
        i++;
      }
      if (i >= s.length()) {
        throw new IllegalArgumentException("unterminated labels: " + line);
      }
      if (s.charAt(i) == '}') {
        return i;
      }
      int eq = s.indexOf('=', i);
      if (eq < 0 || eq + 1 >= s.length() || s.charAt(eq + 1) != '"') {
        throw new IllegalArgumentException("bad label: " + line);
      }
      String name = s.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < s.length() && s.charAt(j) != '"'; j++) {
        char c = s.charAt(j);
        if (c == '\\' && j + 1 < s.length()) {
          char n = s.charAt(++j);
          value.append(n == 'n' ? '\n' : n);
        } else {
          value.append(c);
        }
      }
      if (j >= s.length()) {
        throw new IllegalArgumentException("unterminated label value: " + line);
      }
      labels.put(name, value.toString());
      i = j + 1;
    }
  }
}
