package dev.fleetvault.driver.spi;

import java.util.Objects;

/**
 * A device's own signed statement about one of its keys (a vendor key attestation), returned by
 * {@link HsmDriver#attest}. The driver passes the bytes on exactly as the device produced them; it
 * does not and cannot vouch for them. Verifying them is the job of a verifier for {@link #format()}
 * (a plugin found by {@code ServiceLoader} in {@code fleetvault-bundles}, {@code
 * dev.fleetvault.bundles.evidence.AttestationVerifier}), which checks the chain to the vendor's
 * root and that the attestation names the key it is attached to.
 *
 * @param format a stable format name, e.g. {@code fleetvault-soft-dev-attestation-v1}; lower case,
 *     {@code [a-z0-9._-]}, 1..64 characters
 * @param bytes the attestation as the device produced it (a copy is kept)
 */
public record Attestation(String format, byte[] bytes) {

  /** Validates the format name and copies the bytes. */
  public Attestation {
    Objects.requireNonNull(format, "format");
    if (!format.matches("[a-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("attestation format must be 1..64 chars of [a-z0-9._-]");
    }
    bytes = Objects.requireNonNull(bytes, "bytes").clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attestation a
        && a.format.equals(format)
        && java.util.Arrays.equals(a.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return format.hashCode() * 31 + java.util.Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Attestation[" + format + ", " + bytes.length + " bytes]";
  }
}
