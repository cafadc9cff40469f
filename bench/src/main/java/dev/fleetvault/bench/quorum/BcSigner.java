package dev.fleetvault.bench.quorum;

import dev.fleetvault.quorum.CommandSigner;
import java.security.interfaces.ECPrivateKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * A software command signer on Bouncy Castle (deterministic ECDSA P-256, DER) standing in for the
 * member's HSM.
 */
final class BcSigner implements CommandSigner {
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private final ECPrivateKeyParameters key;
  private final Executor executor;

  BcSigner(ECPrivateKey k, Executor executor) {
    this.key =
        new ECPrivateKeyParameters(
            k.getS(),
            new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH()));
    this.executor = executor;
  }

  @Override
  public CompletableFuture<byte[]> sign(byte[] canonicalBytes) {
    return CompletableFuture.supplyAsync(
        () -> {
          DSADigestSigner s =
              new DSADigestSigner(
                  new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest())),
                  new SHA256Digest(),
                  StandardDSAEncoding.INSTANCE);
          s.init(true, key);
          s.update(canonicalBytes, 0, canonicalBytes.length);
          return s.generateSignature();
        },
        executor);
  }
}
