package dev.fleetvault.protocol.shamir;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Shamir secret sharing over the P-256 scalar field Z/nZ, and Lagrange interpolation at 0 on
 * scalars and "in the exponent" on group elements.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>{@link #split} draws a uniformly random polynomial of degree {@code t-1} with {@code f(0) =
 *       secret} and returns shares at x = 1..n: any {@code t} shares determine the secret, any
 *       {@code t-1} are independent of it.
 *   <li>Combiners require distinct indexes in [1, {@link #MAX_SHARES}] and throw {@link
 *       IllegalArgumentException} otherwise. They cannot know {@code t}: combining fewer than
 *       {@code t} shares returns a wrong value, so callers pass exactly the threshold count.
 * </ul>
 */
public final class Shamir {
  /** Largest number of shares (indexes are small positive integers). */
  public static final int MAX_SHARES = 255;

  private Shamir() {}

  /** Splits {@code secret} into n shares, threshold t (1 &le; t &le; n &le; 255). */
  public static List<Share> split(Scalar secret, int n, int t, SecureRandom random) {
    checkParams(n, t);
    List<Scalar> coefficients = new ArrayList<>(t);
    coefficients.add(Objects.requireNonNull(secret, "secret"));
    for (int i = 1; i < t; i++) {
      coefficients.add(Scalar.random(random));
    }
    return splitWithCoefficients(coefficients, n);
  }

  /**
   * Shares of the polynomial with the given coefficients ({@code coefficients[0]} is the secret,
   * degree {@code t-1 = size-1}) at x = 1..n. Deterministic; for tests and worked examples.
   */
  public static List<Share> splitWithCoefficients(List<Scalar> coefficients, int n) {
    checkParams(n, coefficients.size());
    List<Share> shares = new ArrayList<>(n);
    for (int x = 1; x <= n; x++) {
      Scalar xs = Scalar.ofLong(x);
      Scalar y = Scalar.ZERO;
      for (int j = coefficients.size() - 1; j >= 0; j--) { // Horner
        y = y.multiply(xs).add(coefficients.get(j));
      }
      shares.add(new Share(x, y));
    }
    return shares;
  }

  /**
   * The Lagrange coefficient at 0 for index {@code xi} among {@code indexes} (which contains xi).
   */
  public static Scalar lagrangeAtZero(int xi, Collection<Integer> indexes) {
    return lagrangeAt(0, xi, indexes);
  }

  /**
   * The Lagrange basis polynomial of {@code xi} over {@code indexes}, evaluated at {@code x}:
   * {@code prod_{j != i} (x - x_j) / (x_i - x_j)}.
   */
  public static Scalar lagrangeAt(int x, int xi, Collection<Integer> indexes) {
    Set<Integer> set = checkIndexes(indexes);
    if (!set.contains(xi)) {
      throw new IllegalArgumentException("index " + xi + " is not among " + set);
    }
    Scalar num = Scalar.ONE;
    Scalar den = Scalar.ONE;
    for (int xj : set) {
      if (xj != xi) {
        num = num.multiply(Scalar.ofLong((long) x - xj));
        den = den.multiply(Scalar.ofLong((long) xi - xj));
      }
    }
    return num.multiply(den.invert());
  }

  /** f(0) from shares with distinct indexes: {@code sum lambda_i·y_i}. */
  public static Scalar combine(Collection<Share> shares) {
    List<Integer> xs = new ArrayList<>();
    for (Share s : shares) {
      xs.add(s.x());
    }
    checkIndexes(xs);
    Scalar acc = Scalar.ZERO;
    for (Share s : shares) {
      acc = acc.add(lagrangeAtZero(s.x(), xs).multiply(s.y()));
    }
    return acc;
  }

  /**
   * Interpolation in the exponent: given {@code index -> f(index)·P}, returns {@code f(0)·P} =
   * {@code sum lambda_i·E_i}. Throws {@link ArithmeticException} if the result is the identity.
   */
  public static GroupElement combineInExponent(Map<Integer, GroupElement> elementsByIndex) {
    TreeMap<Integer, GroupElement> sorted = new TreeMap<>(elementsByIndex);
    checkIndexes(sorted.keySet());
    List<GroupElement> es = new ArrayList<>(sorted.values());
    List<Scalar> ls = new ArrayList<>(sorted.size());
    for (int x : sorted.keySet()) {
      ls.add(lagrangeAtZero(x, sorted.keySet()));
    }
    return GroupElement.linearCombination(es, ls);
  }

  private static void checkParams(int n, int t) {
    if (t < 1 || n < t || n > MAX_SHARES) {
      throw new IllegalArgumentException(
          "need 1 <= t <= n <= " + MAX_SHARES + ", got n=" + n + ", t=" + t);
    }
  }

  private static Set<Integer> checkIndexes(Collection<Integer> indexes) {
    if (indexes.isEmpty()) {
      throw new IllegalArgumentException("need at least one share");
    }
    Set<Integer> set = new HashSet<>();
    for (Integer x : indexes) {
      if (x == null || x < 1 || x > MAX_SHARES || !set.add(x)) {
        throw new IllegalArgumentException(
            "share indexes must be distinct and in [1, " + MAX_SHARES + "]: " + indexes);
      }
    }
    return set;
  }
}
