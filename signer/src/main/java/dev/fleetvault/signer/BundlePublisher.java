package dev.fleetvault.signer;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.BundleVerifier;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.VerificationResult;
import dev.fleetvault.bundles.VerifierState;
import dev.fleetvault.bundles.crypto.Crypto;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * The operator's side of publishing a fleet: send {@code {namespace, epoch, digest}} to the signer
 * (authenticated by the operator key), check the signer's signature against the pinned signer key,
 * counter-sign the signature bytes with the operator key, attach artifact + counter-signature, and
 * fetch the finished bundle, which is verified end to end before it is returned.
 */
public final class BundlePublisher {
  private final SignerClient client;
  private final Function<byte[], byte[]> operatorSigner;
  private final TrustAnchors trust;
  private final Clock clock;

  /**
   * @param client signer client
   * @param operatorSigner ECDSA P-256 (DER) signing with the operator's HSM key
   * @param trust the pinned signer and operator keys (the operator key must match the signer's)
   * @param clock time for the final verification
   */
  public BundlePublisher(
      SignerClient client,
      Function<byte[], byte[]> operatorSigner,
      TrustAnchors trust,
      Clock clock) {
    this.client = client;
    this.operatorSigner = operatorSigner;
    this.trust = trust;
    this.clock = clock;
  }

  /** Publishes an artifact and returns its verified bundle. */
  public Bundle publish(FleetArtifact artifact) throws IOException {
    byte[] bytes = artifact.toCanonicalJson();
    SignerService.Entry e =
        client.publish(
            FleetArtifact.NAMESPACE, artifact.epoch(), artifact.digest(), operatorSigner);
    if (!Crypto.ed25519Verify(trust.signerKey().publicKey(), e.message().encode(), e.signature())
        || e.message().epoch() != artifact.epoch()
        || !java.util.Arrays.equals(e.message().digest(), artifact.digest())) {
      throw new IOException(
          "the signer's answer does not verify under the pinned signer key; not counter-signing");
    }
    byte[] counter = operatorSigner.apply(e.signature());
    client.attach(FleetArtifact.NAMESPACE, artifact.epoch(), bytes, counter);
    Bundle b = client.bundle(FleetArtifact.NAMESPACE, artifact.epoch());
    VerificationResult r =
        new BundleVerifier(trust, clock)
            .verify(new BundleEnvelope(b, 0, List.of()), VerifierState.initial());
    if (!r.accepted()) {
      throw new IOException("the published bundle does not verify: " + r);
    }
    return b;
  }
}
