package dev.fleetvault.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a production node learns its fleet from ({@code fleet_bundle:}): the signed validation
 * bundle produced by the key ceremony and published to the independent signer, and the trust
 * anchors it must verify against. The node refuses to start unless the bundle verifies, lists this
 * member with the keys in its own HSM, and lists exactly the configured members.
 *
 * @param trust the trust file pinning the signer's note key, the operator key and any checkpoint
 *     witnesses ({@code fleetvault bundle trust} writes it; {@code TrustAnchors} JSON)
 * @param file the bundle (or over-the-air envelope) JSON file, if the bundle comes from a file
 * @param signer the signer's base URL, if the bundle is fetched from the signer
 * @param evidence the ceremony's evidence package directory; when present it must verify against
 *     the artifact with the witness keys below (strict evidence policy)
 * @param witnessKeys the ceremony witnesses' Ed25519 public keys by witness name (written {@code
 *     NAME=FILE} in the configuration, as {@code evidence verify --witness} takes them)
 * @param witnessQuorum witness signatures required (default: all listed)
 * @param allowSoftDriver DEVELOPMENT/TEST ONLY: members on the software driver are accepted (in the
 *     evidence and for this node's own HSM); logged at WARN on every start
 */
public record FleetBundleSpec(
    Path trust,
    Optional<Path> file,
    Optional<URI> signer,
    Optional<Path> evidence,
    Map<String, Path> witnessKeys,
    int witnessQuorum,
    boolean allowSoftDriver) {
  /** Copies the map. */
  public FleetBundleSpec {
    witnessKeys = Map.copyOf(witnessKeys);
  }
}
