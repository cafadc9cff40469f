package dev.fleetvault.driver.spi;

import java.util.Objects;

/**
 * An immutable reference to a key inside one driver's device. It carries no key material: only the
 * label, the key type and a driver-assigned opaque id (for example a PKCS#11 {@code CKA_ID} in
 * hex). A handle is meaningful only to the driver that returned it; another driver rejects it with
 * {@link HsmException.Kind#KEY_NOT_FOUND}.
 */
public final class KeyHandle {

  private final String label;
  private final KeySpec spec;
  private final String keyId;

  private KeyHandle(String label, KeySpec spec, String keyId) {
    this.label = requireText(label, "label");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.keyId = requireText(keyId, "keyId");
  }

  /** Creates a handle; for drivers. Label and id must be non-blank. */
  public static KeyHandle of(String label, KeySpec spec, String keyId) {
    return new KeyHandle(label, spec, keyId);
  }

  /** The label the key was generated with. */
  public String label() {
    return label;
  }

  /** The key type. */
  public KeySpec spec() {
    return spec;
  }

  /** The driver-assigned opaque id of the key. */
  public String keyId() {
    return keyId;
  }

  private static String requireText(String s, String name) {
    Objects.requireNonNull(s, name);
    if (s.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyHandle k
        && label.equals(k.label)
        && spec == k.spec
        && keyId.equals(k.keyId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(label, spec, keyId);
  }

  @Override
  public String toString() {
    return "KeyHandle[" + label + ", " + spec + ", id=" + keyId + "]";
  }
}
