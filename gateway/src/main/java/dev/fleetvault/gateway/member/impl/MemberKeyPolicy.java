package dev.fleetvault.gateway.member.impl;

import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.DeviceInfo;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.gateway.config.MemberKeyMode;
import java.util.EnumSet;
import java.util.Set;

/**
 * Decides at start-up whether the configured {@link MemberKeyMode} fits the HSM, by its {@code
 * capabilities()}. No silent fallback: {@code wrapped} on an HSM that has EC P-256 is refused (the
 * keys belong inside it), and {@code in_hsm} on an HSM without EC P-256 is refused with a message
 * naming {@code member_keys: wrapped} and what it costs.
 */
public final class MemberKeyPolicy {
  /** The capabilities that make an HSM able to hold the member's EC keys. */
  public static final Set<Capability> EC =
      EnumSet.of(Capability.GENERATE_EC_P256, Capability.ECDH_P256, Capability.SIGN_ECDSA_P256);

  private MemberKeyPolicy() {}

  /**
   * Throws {@link ConfigException} when {@code mode} does not fit {@code driver}.
   *
   * @param where the configuration location for messages (file and key path)
   */
  public static void check(HsmDriver driver, MemberKeyMode mode, String where) {
    Set<Capability> caps = driver.capabilities();
    if (mode == MemberKeyMode.WRAPPED) {
      Set<Capability> present = EnumSet.noneOf(Capability.class);
      present.addAll(EC);
      present.retainAll(caps);
      if (!present.isEmpty()) {
        throw new ConfigException(
            where
                + ".member_keys: 'wrapped' is only for HSMs without EC "
                + "P-256, but "
                + device(driver)
                + " offers "
                + present
                + ". Keep the member keys "
                + "inside the HSM: set member_keys: in_hsm (the default) or remove the line.");
      }
      if (!caps.contains(Capability.SEAL_AES_GCM)) {
        throw new ConfigException(
            where
                + ".member_keys: 'wrapped' needs an HSM that seals with "
                + "AES-256-GCM, but "
                + device(driver)
                + " lacks SEAL_AES_GCM");
      }
      return;
    }
    Set<Capability> missing = EnumSet.noneOf(Capability.class);
    missing.addAll(EC);
    missing.removeAll(caps);
    if (!missing.isEmpty()) {
      throw new ConfigException(
          where
              + ": "
              + device(driver)
              + " cannot hold the member's EC "
              + "P-256 keys (lacks "
              + missing
              + "), so member_keys: in_hsm cannot work. If it can seal "
              + "(AES-256-GCM), set 'member_keys: wrapped' in this hsm section: the node then generates "
              + "its HPKE and signing keys in software and stores them sealed by the HSM. The cost: "
              + "the EC private keys live in the node's memory while it runs (ECDH and ECDSA happen "
              + "outside the HSM; a memory dump of the node reveals them), protected at rest only by "
              + "the HSM's sealing key.");
    }
  }

  private static String device(HsmDriver driver) {
    try {
      DeviceInfo d = driver.describe();
      return "the HSM (driver " + d.driverId() + ", " + d.vendor() + " " + d.model() + ")";
    } catch (HsmException | RuntimeException e) {
      return "the HSM";
    }
  }
}
