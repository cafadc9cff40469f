package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.QuorumMember;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;

import java.security.interfaces.ECPublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies member command signatures (ECDSA P-256, SHA-256, strict DER) with Bouncy Castle.
 *
 * <p>Guarantees: deterministic (same bytes and keys give the same answer on every replica, no
 * provider lookup, no randomness); keys are indexed by {@code (fleet epoch, member id)} so that a
 * later key rotation can add epochs without changing the command format. Immutable and thread-safe.
 */
public final class CommandVerifier {
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

    private final Map<Long, Map<Integer, ECPublicKeyParameters>> keysByEpoch;

    private CommandVerifier(Map<Long, Map<Integer, ECPublicKeyParameters>> keysByEpoch) {
        this.keysByEpoch = keysByEpoch;
    }

    /** A verifier that knows exactly one epoch's member keys. */
    public static CommandVerifier forEpoch(long epoch, List<QuorumMember> members) {
        Map<Integer, ECPublicKeyParameters> keys = new HashMap<>();
        for (QuorumMember m : members) keys.put(m.id(), toParams((ECPublicKey) m.commandKey()));
        return new CommandVerifier(Map.of(epoch, Map.copyOf(keys)));
    }

    /** Whether {@code epoch} is known. */
    public boolean knowsEpoch(long epoch) {
        return keysByEpoch.containsKey(epoch);
    }

    /** Whether {@code member} has a key in {@code epoch}. */
    public boolean knowsMember(long epoch, int member) {
        Map<Integer, ECPublicKeyParameters> m = keysByEpoch.get(epoch);
        return m != null && m.containsKey(member);
    }

    /** The fleet threshold {@code t = floor(n/2) + 1} of {@code epoch}'s configured members (0 if the epoch is unknown). */
    public int threshold(long epoch) {
        Map<Integer, ECPublicKeyParameters> m = keysByEpoch.get(epoch);
        return m == null ? 0 : m.size() / 2 + 1;
    }

    /** Verifies {@code signature} (DER) over {@code message} under member {@code member}'s key for {@code epoch}. */
    public boolean verify(long epoch, int member, byte[] message, byte[] signature) {
        Map<Integer, ECPublicKeyParameters> m = keysByEpoch.get(epoch);
        ECPublicKeyParameters key = m == null ? null : m.get(member);
        if (key == null) return false;
        try {
            DSADigestSigner v = new DSADigestSigner(new ECDSASigner(), new SHA256Digest(), StandardDSAEncoding.INSTANCE);
            v.init(false, key);
            v.update(message, 0, message.length);
            return v.verifySignature(signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static ECPublicKeyParameters toParams(ECPublicKey k) {
        ECPoint p = P256.getCurve().createPoint(k.getW().getAffineX(), k.getW().getAffineY());
        if (!p.isValid()) throw new IllegalArgumentException("member key is not a valid P-256 point");
        return new ECPublicKeyParameters(p, DOMAIN);
    }
}
