package dev.fleetvault.driver.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What a device says about where one of its keys came from and whether it can ever leave, read back
 * from the device for {@link HsmDriver#keyProvenance}. It goes into a member's signed key statement
 * (deployment evidence), so a driver reports the device's own answers and never an assumption: for
 * PKCS#11 the token's {@code CKA_LOCAL}, {@code CKA_NEVER_EXTRACTABLE}, {@code
 * CKA_ALWAYS_SENSITIVE} and {@code CKA_EXTRACTABLE} read back with {@code C_GetAttributeValue}.
 *
 * <p>Guarantees: {@link #rawAttributes()} holds every attribute the booleans were derived from,
 * with the name and the value as the device reported them (e.g. {@code CKA_LOCAL -> "true"});
 * {@link #source()} names where the facts came from. Nothing here is secret. What the facts are
 * worth depends on the device: a software driver's answers are only as good as the software, which
 * is why verifiers treat the {@code soft} driver separately.
 *
 * @param label the key's label
 * @param spec the key type
 * @param generatedOnDevice the key was generated inside the device, not imported (PKCS#11 {@code
 *     CKA_LOCAL})
 * @param neverExtractable the key has never been extractable (PKCS#11 {@code
 *     CKA_NEVER_EXTRACTABLE})
 * @param alwaysSensitive the key has always been sensitive (PKCS#11 {@code CKA_ALWAYS_SENSITIVE})
 * @param extractable the key can currently be exported, even wrapped (PKCS#11 {@code
 *     CKA_EXTRACTABLE})
 * @param source where the facts were read, e.g. {@code "PKCS#11 C_GetAttributeValue on token
 *     object"}
 * @param rawAttributes the device's attribute names and values (an unmodifiable copy is kept)
 */
public record KeyProvenance(
    String label,
    KeySpec spec,
    boolean generatedOnDevice,
    boolean neverExtractable,
    boolean alwaysSensitive,
    boolean extractable,
    String source,
    Map<String, String> rawAttributes) {

  /** Validates presence and copies the attribute map. */
  public KeyProvenance {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(source, "source");
    rawAttributes = Map.copyOf(Objects.requireNonNull(rawAttributes, "rawAttributes"));
  }

  /** Whether the facts prove the key was born in the device and can never leave it. */
  public boolean bornInDeviceAndNonExportable() {
    return generatedOnDevice && neverExtractable && alwaysSensitive && !extractable;
  }
}
