package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.pin.Argon2idParameters;
import dev.fleetvault.protocol.wire.WireLimits;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a member accepts at register2 (PROTOCOL.md §8 "Registration policy"): the fleet's size n,
 * its threshold {@code t = ⌊n/2⌋ + 1} (a majority: fewer members can never rebuild the OPRF key),
 * the largest guess limit, and the PIN-stretching parameter sets.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>The threshold is always the majority of {@link #members()}; it is derived, never
 *       configured.
 *   <li>{@link #production(int)} allows only {@code argon2id-v1-default}; the {@code
 *       *-insecure-test-only} sets are allowed only by {@link #allowingTestPinParams()}, which a
 *       production configuration must never call.
 *   <li>{@link #check} throws {@link BadRequestException} naming the first rule broken; it names no
 *       secret.
 * </ul>
 */
public final class RegistrationPolicy {
  private final int members;
  private final int maxGuessLimit;
  private final Set<String> allowedPinParams;

  private RegistrationPolicy(int members, int maxGuessLimit, Set<String> allowedPinParams) {
    if (members < 1 || members > WireLimits.MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "members must be 1.." + WireLimits.MAX_MEMBERS + ", got " + members);
    }
    if (maxGuessLimit < 1 || maxGuessLimit > WireLimits.MAX_GUESS_LIMIT) {
      throw new IllegalArgumentException(
          "maxGuessLimit must be 1.." + WireLimits.MAX_GUESS_LIMIT + ", got " + maxGuessLimit);
    }
    if (allowedPinParams.isEmpty()) {
      throw new IllegalArgumentException("at least one PIN parameter set must be allowed");
    }
    for (String id : allowedPinParams) {
      Argon2idParameters.forId(id);
    }
    this.members = members;
    this.maxGuessLimit = maxGuessLimit;
    this.allowedPinParams = Set.copyOf(allowedPinParams);
  }

  /**
   * The production policy of a fleet of {@code members} members: t = ⌊n/2⌋ + 1, guess limit
   * 1..{@link WireLimits#MAX_GUESS_LIMIT}, PIN parameters {@code argon2id-v1-default} only.
   */
  public static RegistrationPolicy production(int members) {
    return new RegistrationPolicy(
        members, WireLimits.MAX_GUESS_LIMIT, Set.of(Argon2idParameters.ARGON2ID_V1_DEFAULT.id()));
  }

  /** This policy with a lower largest guess limit (1..{@link WireLimits#MAX_GUESS_LIMIT}). */
  public RegistrationPolicy withMaxGuessLimit(int maxGuessLimit) {
    return new RegistrationPolicy(members, maxGuessLimit, allowedPinParams);
  }

  /**
   * This policy also allowing {@code argon2id-v1-insecure-test-only}. For tests and the development
   * fleet only: PINs stretched with it are cheap to guess offline.
   */
  public RegistrationPolicy allowingTestPinParams() {
    Set<String> ids = new TreeSet<>(allowedPinParams);
    ids.add(Argon2idParameters.ARGON2ID_V1_INSECURE_TEST_ONLY.id());
    return new RegistrationPolicy(members, maxGuessLimit, ids);
  }

  /** n. */
  public int members() {
    return members;
  }

  /** t = ⌊n/2⌋ + 1. */
  public int threshold() {
    return members / 2 + 1;
  }

  /** The largest guess limit a registration may ask for. */
  public int maxGuessLimit() {
    return maxGuessLimit;
  }

  /** The allowed PIN parameter set ids. */
  public Set<String> allowedPinParams() {
    return allowedPinParams;
  }

  /**
   * Checks a registration's shape against this policy.
   *
   * @throws BadRequestException naming the rule broken
   */
  public void check(int threshold, int members, int guessLimit, String pinParams) {
    if (members != this.members) {
      throw new BadRequestException(
          "registration policy: members is " + members + ", this fleet has " + this.members);
    }
    if (threshold != threshold()) {
      throw new BadRequestException(
          "registration policy: threshold is "
              + threshold
              + ", this fleet requires t = "
              + threshold()
              + " (a majority of "
              + this.members
              + ")");
    }
    if (guessLimit < 1 || guessLimit > maxGuessLimit) {
      throw new BadRequestException(
          "registration policy: guess limit is " + guessLimit + ", must be 1.." + maxGuessLimit);
    }
    Objects.requireNonNull(pinParams, "pinParams");
    if (dev.fleetvault.protocol.passkey.PasskeyDerivations.isPasskeyParams(pinParams)) {
      return; // passkey entries: allowed on every fleet, checked by the member core (PROTOCOL.md
      // 21.1)
    }
    if (!allowedPinParams.contains(pinParams)) {
      throw new BadRequestException(
          "registration policy: PIN parameters '"
              + pinParams
              + "' are not allowed by this fleet (allowed: "
              + new TreeSet<>(allowedPinParams)
              + ")");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistrationPolicy p
        && p.members == members
        && p.maxGuessLimit == maxGuessLimit
        && p.allowedPinParams.equals(allowedPinParams);
  }

  @Override
  public int hashCode() {
    return Objects.hash(members, maxGuessLimit, allowedPinParams);
  }

  @Override
  public String toString() {
    return "RegistrationPolicy[n="
        + members
        + ", t="
        + threshold()
        + ", L<="
        + maxGuessLimit
        + ", pin params "
        + new TreeSet<>(allowedPinParams)
        + "]";
  }
}
