package dev.fleetvault.gateway.config;

import java.util.List;
import java.util.Objects;

/**
 * What a member accepts in a registration (the {@code registration:} section), on top of the rules
 * no configuration can loosen (threshold = the fleet's majority, guess limit at least 1).
 *
 * <p>Guarantees: immutable; {@link #DEFAULTS} (the section absent) is the production setting: only
 * {@code argon2id-v1-default}, so a production file that says nothing refuses the insecure test
 * parameters.
 *
 * @param maxGuessLimit the largest guess limit a registration may ask for (1..100)
 * @param pinParams the Argon2id parameter-set ids a registration may name (at least one)
 */
public record RegistrationSpec(int maxGuessLimit, List<String> pinParams) {
  /** The production parameter set. */
  public static final String DEFAULT_PIN_PARAMS = "argon2id-v1-default";

  /** The cheap parameter set for tests and the local development fleet only. */
  public static final String TEST_PIN_PARAMS = "argon2id-v1-insecure-test-only";

  /** Used when the section is absent: production parameters only, guess limit up to 100. */
  public static final RegistrationSpec DEFAULTS =
      new RegistrationSpec(100, List.of(DEFAULT_PIN_PARAMS));

  public RegistrationSpec {
    Objects.requireNonNull(pinParams, "pinParams");
    pinParams = List.copyOf(pinParams);
    if (maxGuessLimit < 1 || maxGuessLimit > 100) {
      throw new IllegalArgumentException("max_guess_limit must be 1..100");
    }
    if (pinParams.isEmpty()) {
      throw new IllegalArgumentException("pin_params needs at least one parameter set");
    }
  }
}
