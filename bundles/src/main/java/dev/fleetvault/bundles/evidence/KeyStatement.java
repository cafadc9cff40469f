package dev.fleetvault.bundles.evidence;

import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.impl.Codec;
import dev.fleetvault.bundles.impl.Crypto;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A member's key statement, written by {@code fleetvault ceremony member} on the member's own host
 * and signed (ECDSA P-256, SHA-256, DER) by the member's HSM signing key. Canonical JSON:
 * {@code {"signature":b64,"statement":{...}}}; the signature covers {@link #signingInput()}
 * ({@code "fleetvault.key_statement.v1\n" || canonical(statement)}).
 *
 * @param fleetId          fleet id
 * @param epoch            fleet epoch the keys are for
 * @param memberId         member id
 * @param dataCenter       data center
 * @param createdAt        Unix seconds
 * @param hpkePublicKey    65-byte P-256 point
 * @param signingPublicKey 65-byte P-256 point (verifies this statement)
 * @param peerTls          peer TLS identity: {@code mode} ({@code files} or {@code development-generated}),
 *                         {@code cert_sha256} (hex of the DER certificate, empty when generated), {@code subject}
 * @param hsm              driver, vendor, model, serial, firmware, library (from the driver's describe())
 * @param keys             the member's keys with their provenance and attestation
 * @param softwareSha256   SHA-256 of the node software
 * @param softwareSource   what was hashed (e.g. {@code classpath} or a distribution file name)
 * @param configSha256     SHA-256 of the node configuration file
 */
public record KeyStatement(String fleetId, long epoch, String memberId, String dataCenter, long createdAt,
                           byte[] hpkePublicKey, byte[] signingPublicKey, Map<String, String> peerTls,
                           Map<String, String> hsm, List<KeyFacts> keys, byte[] softwareSha256,
                           String softwareSource, byte[] configSha256) {
    /** Format name and signature domain. */
    public static final String FORMAT = "fleetvault.key_statement.v1";
    /** The {@code hsm} fields. */
    public static final List<String> HSM_FIELDS = List.of("driver", "firmware", "library", "model", "serial", "vendor");

    /** Validates and copies. */
    public KeyStatement {
        if (!Crypto.isValidP256Point(hpkePublicKey) || !Crypto.isValidP256Point(signingPublicKey)) {
            throw new FormatException("key statement of " + memberId + ": public keys must be uncompressed P-256 points");
        }
        if (softwareSha256.length != 32 || configSha256.length != 32) {
            throw new FormatException("key statement of " + memberId + ": software/config hashes must be 32 bytes");
        }
        if (!hsm.keySet().equals(new java.util.TreeSet<>(HSM_FIELDS))) {
            throw new FormatException("key statement of " + memberId + ": hsm must have exactly " + HSM_FIELDS);
        }
        if (!peerTls.keySet().equals(java.util.Set.of("mode", "cert_sha256", "subject"))) {
            throw new FormatException("key statement of " + memberId + ": peer_tls must have mode, cert_sha256, subject");
        }
        hpkePublicKey = hpkePublicKey.clone();
        signingPublicKey = signingPublicKey.clone();
        peerTls = Map.copyOf(peerTls);
        hsm = Map.copyOf(hsm);
        keys = List.copyOf(keys);
        softwareSha256 = softwareSha256.clone();
        configSha256 = configSha256.clone();
    }

    @Override
    public byte[] hpkePublicKey() {
        return hpkePublicKey.clone();
    }

    @Override
    public byte[] signingPublicKey() {
        return signingPublicKey.clone();
    }

    @Override
    public byte[] softwareSha256() {
        return softwareSha256.clone();
    }

    @Override
    public byte[] configSha256() {
        return configSha256.clone();
    }

    /** The key with this role, if any. */
    public java.util.Optional<KeyFacts> key(String role) {
        return keys.stream().filter(k -> k.role().equals(role)).findFirst();
    }

    /** The statement object as canonical JSON. */
    public byte[] toCanonicalJson() {
        return CanonicalJson.encode(toJson());
    }

    /** The bytes the member signs. */
    public byte[] signingInput() {
        byte[] p = (FORMAT + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] b = toCanonicalJson();
        byte[] out = java.util.Arrays.copyOf(p, p.length + b.length);
        System.arraycopy(b, 0, out, p.length, b.length);
        return out;
    }

    /** The signed file: {@code {"signature":..,"statement":..}}. */
    public byte[] toSignedJson(byte[] derSignature) {
        Map<String, Object> m = new TreeMap<>();
        m.put("statement", toJson());
        m.put("signature", Codec.b64(derSignature));
        return CanonicalJson.encode(m);
    }

    /** Whether {@code derSignature} is this statement's signature by its own signing key. */
    public boolean verifySignature(byte[] derSignature) {
        try {
            java.security.PublicKey k = SpkiKeys.p256FromPoint(signingPublicKey);
            return Crypto.ecdsaP256Verify(k, signingInput(), derSignature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new TreeMap<>();
        m.put("format", FORMAT);
        m.put("fleet_id", fleetId);
        m.put("epoch", epoch);
        m.put("member_id", memberId);
        m.put("data_center", dataCenter);
        m.put("created_at", createdAt);
        m.put("hpke_public_key", Codec.b64(hpkePublicKey));
        m.put("signing_public_key", Codec.b64(signingPublicKey));
        m.put("peer_tls", new TreeMap<>(peerTls));
        m.put("hsm", new TreeMap<>(hsm));
        List<Object> ks = new ArrayList<>();
        for (KeyFacts k : keys) {
            ks.add(k.toJson());
        }
        m.put("keys", ks);
        m.put("software_sha256", Codec.hex(softwareSha256));
        m.put("software_source", softwareSource);
        m.put("config_sha256", Codec.hex(configSha256));
        return m;
    }

    /** A signed statement file: the statement and its signature (not yet verified). */
    public record Signed(KeyStatement statement, byte[] signature) {
        /** Verifies the signature with the statement's own signing key. */
        public boolean signatureValid() {
            return statement.verifySignature(signature);
        }
    }

    /** Parses a signed statement file (canonical JSON required). */
    public static Signed parseSigned(byte[] json) {
        JsonMap outer = CanonicalJson.parseCanonicalObject(json);
        outer.requireExactly("signature", "statement");
        byte[] sig = outer.base64("signature", -1);
        JsonMap m = outer.object("statement");
        m.requireExactly("format", "fleet_id", "epoch", "member_id", "data_center", "created_at", "hpke_public_key",
                "signing_public_key", "peer_tls", "hsm", "keys", "software_sha256", "software_source", "config_sha256");
        if (!FORMAT.equals(m.string("format"))) {
            throw new FormatException("key statement: format must be " + FORMAT);
        }
        List<KeyFacts> keys = new ArrayList<>();
        for (Object o : m.list("keys")) {
            keys.add(KeyFacts.fromJson(JsonMap.of(o, "key statement key")));
        }
        KeyStatement s = new KeyStatement(m.string("fleet_id"), m.integer("epoch", 1, CanonicalJson.MAX_SAFE),
                m.string("member_id"), m.string("data_center"), m.nonNegative("created_at"),
                m.base64("hpke_public_key", 65), m.base64("signing_public_key", 65), strings(m.object("peer_tls")),
                strings(m.object("hsm")), keys, m.hex("software_sha256", 32), m.string("software_source"),
                m.hex("config_sha256", 32));
        return new Signed(s, sig);
    }

    static Map<String, String> strings(JsonMap m) {
        Map<String, String> out = new TreeMap<>();
        for (String k : m.asMap().keySet()) {
            out.put(k, m.string(k));
        }
        return out;
    }
}
