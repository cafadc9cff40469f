package dev.fleetvault.bundles;

import dev.fleetvault.bundles.impl.Codec;
import dev.fleetvault.bundles.impl.Crypto;
import dev.fleetvault.bundles.json.JsonMap;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One fleet member as listed in a {@link FleetArtifact}.
 *
 * @param id               member id, {@code [a-z0-9._-]}, 1..64 chars, unique in the fleet
 * @param dataCenter       data center name, same alphabet
 * @param hpkePublicKey    65-byte uncompressed P-256 point: the member's HPKE (DHKEM P-256) key
 * @param signingPublicKey 65-byte uncompressed P-256 point: the member's ECDSA ledger-signing key
 * @param role             {@link #ROLE_MEMBER} (the only role today)
 */
public record FleetMember(String id, String dataCenter, byte[] hpkePublicKey, byte[] signingPublicKey, String role) {
    /** A member holding a share. */
    public static final String ROLE_MEMBER = "member";

    /** Validates (names, points on the curve) and copies. */
    public FleetMember {
        if (!FleetArtifact.isValidName(id) || id.length() > 64) {
            throw new FormatException("member id must be 1..64 chars of [a-z0-9._-]");
        }
        if (!FleetArtifact.isValidName(dataCenter) || dataCenter.length() > 64) {
            throw new FormatException("member " + id + ": data_center must be 1..64 chars of [a-z0-9._-]");
        }
        if (!Crypto.isValidP256Point(hpkePublicKey)) {
            throw new FormatException("member " + id + ": hpke_public_key is not an uncompressed P-256 point");
        }
        if (!Crypto.isValidP256Point(signingPublicKey)) {
            throw new FormatException("member " + id + ": signing_public_key is not an uncompressed P-256 point");
        }
        if (!ROLE_MEMBER.equals(role)) {
            throw new FormatException("member " + id + ": role must be \"member\"");
        }
        hpkePublicKey = hpkePublicKey.clone();
        signingPublicKey = signingPublicKey.clone();
    }

    /**
     * A member from its HPKE point and its ledger-signing public key as a JCA key (e.g. read from
     * an SPKI), with role {@link #ROLE_MEMBER}.
     */
    public static FleetMember of(String id, String dataCenter, byte[] hpkePublicKey, java.security.PublicKey signingKey) {
        if (!(signingKey instanceof java.security.interfaces.ECPublicKey ec)) {
            throw new FormatException("member " + id + ": signing key is not an EC key");
        }
        return new FleetMember(id, dataCenter, hpkePublicKey, Crypto.uncompressed(ec), ROLE_MEMBER);
    }

    /** Same id, data center and keys (role ignored; there is one). */
    public boolean sameKeys(FleetMember o) {
        return o.id.equals(id) && o.dataCenter.equals(dataCenter) && Arrays.equals(o.hpkePublicKey, hpkePublicKey)
                && Arrays.equals(o.signingPublicKey, signingPublicKey);
    }

    @Override
    public byte[] hpkePublicKey() {
        return hpkePublicKey.clone();
    }

    @Override
    public byte[] signingPublicKey() {
        return signingPublicKey.clone();
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new TreeMap<>();
        m.put("id", id);
        m.put("data_center", dataCenter);
        m.put("hpke_public_key", Codec.b64(hpkePublicKey));
        m.put("signing_public_key", Codec.b64(signingPublicKey));
        m.put("role", role);
        return m;
    }

    static FleetMember fromJson(JsonMap m) {
        m.requireExactly("id", "data_center", "hpke_public_key", "signing_public_key", "role");
        return new FleetMember(m.string("id"), m.string("data_center"), m.base64("hpke_public_key", 65),
                m.base64("signing_public_key", 65), m.string("role"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FleetMember f && f.id.equals(id) && f.dataCenter.equals(dataCenter)
                && Arrays.equals(f.hpkePublicKey, hpkePublicKey) && Arrays.equals(f.signingPublicKey, signingPublicKey)
                && f.role.equals(role);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "FleetMember[" + id + "@" + dataCenter + " hpke=" + Codec.hex(hpkePublicKey).substring(0, 16)
                + "… signing=" + Codec.hex(signingPublicKey).substring(0, 16) + "…]";
    }
}
