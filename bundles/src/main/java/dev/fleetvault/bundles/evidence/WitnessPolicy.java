package dev.fleetvault.bundles.evidence;

import dev.fleetvault.bundles.FormatException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which witnesses a verifier trusts (name → raw Ed25519 key, given out of band, never taken from
 * the package) and how many of them must have signed. Distinct keys count once: one key under two
 * names, or the same witness twice, is one signature.
 *
 * @param witnesses trusted witnesses by name
 * @param required how many distinct trusted witnesses must sign (1..witnesses)
 */
public record WitnessPolicy(Map<String, byte[]> witnesses, int required) {
  /** Validates and copies. */
  public WitnessPolicy {
    Map<String, byte[]> copy = new TreeMap<>();
    witnesses.forEach((k, v) -> copy.put(k, SpkiKeys.ed25519Raw(v)));
    witnesses = java.util.Collections.unmodifiableMap(copy);
    if (witnesses.isEmpty()) {
      throw new FormatException("a witness policy names at least one witness");
    }
    if (required < 1 || required > witnesses.size()) {
      throw new FormatException(
          "witnesses required must be 1.." + witnesses.size() + ", got " + required);
    }
  }
}
