package dev.fleetvault.bundles.evidence;

/**
 * A plugin that verifies device key attestations of one format, found by {@link
 * java.util.ServiceLoader} (a {@code
 * META-INF/services/dev.fleetvault.bundles.evidence.AttestationVerifier} line naming the class).
 * Implementations do no I/O: vendor roots are compiled in or passed to their constructor.
 *
 * <p>Guarantees an implementation gives: {@link #verify} returns {@link Result#ok()} only when the
 * attestation's signatures chain to a root the verifier trusts for {@link #format()} <b>and</b> the
 * attestation names exactly {@code key} (same public key, or for secret keys the same label and
 * id); it never throws on malformed input (it returns a failed result naming what failed).
 */
public interface AttestationVerifier {

  /** The format this verifier handles, e.g. {@code fleetvault-soft-dev-attestation-v1}. */
  String format();

  /**
   * Verifies {@code attestation} for {@code key}.
   *
   * @param attestation the bytes as the device produced them
   * @param key the key the statement says the attestation is about
   */
  Result verify(byte[] attestation, AttestedKey key);

  /**
   * The key an attestation must name.
   *
   * @param label label in the device
   * @param spec key type name
   * @param keyId the driver's key id
   * @param publicKeySpki SPKI for key pairs, empty for secret keys
   */
  record AttestedKey(String label, String spec, String keyId, byte[] publicKeySpki) {}

  /**
   * A verification outcome.
   *
   * @param ok signatures chain to a trusted root and the attestation names the key
   * @param hardwareRooted the trusted root is a hardware vendor's (false for development formats)
   * @param detail one line: what was checked, or what failed
   */
  record Result(boolean ok, boolean hardwareRooted, String detail) {
    /** A failure. */
    public static Result fail(String detail) {
      return new Result(false, false, detail);
    }
  }
}
