package dev.fleetvault.protocol.threshold;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.shamir.Shamir;
import dev.fleetvault.protocol.shamir.Share;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The dealer's output at registration: the OPRF root key k split into n member shares with
 * threshold t, and the commitment vector {@code [K_1..K_n]}.
 *
 * <h2>Guarantees</h2>
 *
 * Shares lie on one random polynomial of degree t-1 with f(0) = k; any t of them evaluate the same
 * OPRF as k itself. If a (negligibly likely) share is zero, the polynomial is redrawn. {@link
 * #toString()} never shows a share.
 */
public final class ThresholdOprfKeys {
  private final int threshold;
  private final List<MemberKeyShare> shares;
  private final List<GroupElement> commitments;

  private ThresholdOprfKeys(int threshold, List<MemberKeyShare> shares) {
    this.threshold = threshold;
    this.shares = List.copyOf(shares);
    List<GroupElement> ks = new ArrayList<>(shares.size());
    for (MemberKeyShare s : shares) {
      ks.add(s.commitment());
    }
    this.commitments = List.copyOf(ks);
  }

  /** Splits the non-zero root key into n shares with threshold t. */
  public static ThresholdOprfKeys deal(Scalar rootKey, int n, int t, SecureRandom random) {
    if (rootKey.isZero()) {
      throw new IllegalArgumentException("root key must not be zero");
    }
    while (true) {
      List<Share> raw = Shamir.split(rootKey, n, t, random);
      List<MemberKeyShare> shares = new ArrayList<>(n);
      for (Share s : raw) {
        if (s.y().isZero()) {
          break;
        }
        shares.add(new MemberKeyShare(s.x(), s.y()));
      }
      if (shares.size() == n) {
        return new ThresholdOprfKeys(t, shares);
      }
    }
  }

  /**
   * Keys from given polynomial coefficients (coefficients[0] = k); deterministic, for tests and
   * examples.
   */
  public static ThresholdOprfKeys fromCoefficients(List<Scalar> coefficients, int n) {
    List<MemberKeyShare> shares = new ArrayList<>(n);
    for (Share s : Shamir.splitWithCoefficients(coefficients, n)) {
      shares.add(new MemberKeyShare(s.x(), s.y()));
    }
    return new ThresholdOprfKeys(coefficients.size(), shares);
  }

  public int threshold() {
    return threshold;
  }

  /** Shares in index order (shares().get(i-1) is member i's). */
  public List<MemberKeyShare> shares() {
    return shares;
  }

  /** Commitments in index order (commitments().get(i-1) = K_i). */
  public List<GroupElement> commitments() {
    return commitments;
  }

  @Override
  public String toString() {
    return "ThresholdOprfKeys[n=" + shares.size() + ", t=" + threshold + ", shares redacted]";
  }
}
