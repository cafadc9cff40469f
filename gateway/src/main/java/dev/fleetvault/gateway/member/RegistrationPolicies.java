package dev.fleetvault.gateway.member;

import dev.fleetvault.gateway.config.RegistrationSpec;
import dev.fleetvault.protocol.flow.RegistrationPolicy;

/**
 * The member core's {@link RegistrationPolicy} from the node configuration's {@code registration:}
 * section.
 *
 * <p>Guarantees: the threshold is always the fleet's majority (the policy derives it from the
 * member count, no configuration can change it); the production PIN parameter set is always
 * allowed; the insecure test set only if the section lists it.
 */
public final class RegistrationPolicies {
  private RegistrationPolicies() {}

  /** The policy of a fleet of {@code members} members configured with {@code spec}. */
  public static RegistrationPolicy of(RegistrationSpec spec, int members) {
    RegistrationPolicy p =
        RegistrationPolicy.production(members).withMaxGuessLimit(spec.maxGuessLimit());
    return spec.pinParams().contains(RegistrationSpec.TEST_PIN_PARAMS)
        ? p.allowingTestPinParams()
        : p;
  }
}
