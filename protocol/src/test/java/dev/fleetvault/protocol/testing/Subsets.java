package dev.fleetvault.protocol.testing;

import java.util.ArrayList;
import java.util.List;

/** All k-element subsets of {1..n} (small n only). */
public final class Subsets {
  private Subsets() {}

  public static List<List<Integer>> of(int n, int k) {
    List<List<Integer>> out = new ArrayList<>();
    collect(1, n, k, new ArrayList<>(), out);
    return out;
  }

  private static void collect(int from, int n, int k, List<Integer> cur, List<List<Integer>> out) {
    if (cur.size() == k) {
      out.add(List.copyOf(cur));
      return;
    }
    for (int i = from; i <= n; i++) {
      cur.add(i);
      collect(i + 1, n, k, cur, out);
      cur.remove(cur.size() - 1);
    }
  }
}
