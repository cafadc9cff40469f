package dev.fleetvault.bundles;

import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;
import dev.fleetvault.bundles.tlog.NoteKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys an app pins: the independent signer's Ed25519 key (as a signed-note verifier key whose
 * name is the log origin) and the operator's ECDSA P-256 root key; optionally witness keys and how
 * many of them must cosign each checkpoint. Trust file (canonical JSON): {@code
 * {"operator_public_key":b64
 * SPKI,"signer_vkey":"<origin>+<id>+<b64>","witness_quorum":0,"witness_vkeys":[]}}. A development
 * trust file (the local fleet's, written by the local signer) also carries {@code
 * "development":true}; only such anchors let a client relax the evidence policy (see the client's
 * {@code BundleRealmSource}). Production trust files never carry the field.
 *
 * @param signerKey type-0x01 note key; its name is the log origin
 * @param operatorKey operator counter-signing key (P-256)
 * @param witnesses type-0x04 cosigner keys
 * @param witnessQuorum number of distinct witnesses whose cosignatures are required (0 = none); a
 *     list naming one witness key (or one witness name) twice is refused
 * @param development these anchors pin a local development signer (DEVELOPMENT ONLY)
 */
public record TrustAnchors(
    NoteKey signerKey,
    ECPublicKey operatorKey,
    List<NoteKey> witnesses,
    int witnessQuorum,
    boolean development) {
  /** Validates. */
  public TrustAnchors {
    if (signerKey.type() != NoteKey.TYPE_ED25519) {
      throw new FormatException("signer key must be an Ed25519 (type 0x01) note key");
    }
    witnesses = List.copyOf(witnesses);
    java.util.Set<String> names = new java.util.HashSet<>();
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (NoteKey w : witnesses) {
      if (w.type() != NoteKey.TYPE_COSIGNATURE_V1) {
        throw new FormatException("witness keys must be cosignature/v1 (type 0x04) keys");
      }
      // one witness, one vote: a key (or a name) listed twice would count one cosigner twice
      if (!keys.add(java.util.HexFormat.of().formatHex(w.publicKey()))) {
        throw new FormatException("witness key of " + w.name() + " is listed twice");
      }
      if (!names.add(w.name())) {
        throw new FormatException("witness " + w.name() + " is listed twice");
      }
    }
    if (witnessQuorum < 0 || witnessQuorum > witnesses.size()) {
      throw new FormatException("witness_quorum must be between 0 and the number of witnesses");
    }
  }

  /** Production anchors (not development). */
  public TrustAnchors(
      NoteKey signerKey, ECPublicKey operatorKey, List<NoteKey> witnesses, int witnessQuorum) {
    this(signerKey, operatorKey, witnesses, witnessQuorum, false);
  }

  /** The same anchors marked as pinning a local development signer (DEVELOPMENT ONLY). */
  public TrustAnchors asDevelopment() {
    return new TrustAnchors(signerKey, operatorKey, witnesses, witnessQuorum, true);
  }

  /** Pins a signer and an operator key with no witness requirement. */
  public static TrustAnchors of(NoteKey signerKey, ECPublicKey operatorKey) {
    return new TrustAnchors(signerKey, operatorKey, List.of(), 0);
  }

  /** The log origin (the signer key's name). */
  public String logOrigin() {
    return signerKey.name();
  }

  /** Canonical JSON trust file. */
  public byte[] toJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("signer_vkey", signerKey.vkey());
    m.put("operator_public_key", Codec.b64(operatorKey.getEncoded()));
    List<Object> ws = new ArrayList<>();
    for (NoteKey w : witnesses) {
      ws.add(w.vkey());
    }
    m.put("witness_vkeys", ws);
    m.put("witness_quorum", witnessQuorum);
    if (development) {
      m.put("development", true);
    }
    return CanonicalJson.encode(m);
  }

  /** Parses a trust file. */
  public static TrustAnchors parse(byte[] json) {
    JsonMap m = CanonicalJson.parseObject(json);
    boolean dev = m.has("development");
    if (dev) {
      m.requireExactly(
          "signer_vkey", "operator_public_key", "witness_vkeys", "witness_quorum", "development");
      if (!m.bool("development")) {
        throw new FormatException("trust file: development, when present, must be true");
      }
    } else {
      m.requireExactly("signer_vkey", "operator_public_key", "witness_vkeys", "witness_quorum");
    }
    ECPublicKey op;
    try {
      op = Crypto.p256FromSpki(m.base64("operator_public_key", -1));
    } catch (IllegalArgumentException e) {
      throw new FormatException(
          "trust file: operator_public_key is not a P-256 SubjectPublicKeyInfo");
    }
    List<NoteKey> ws = new ArrayList<>();
    for (Object o : m.list("witness_vkeys")) {
      if (!(o instanceof String s)) {
        throw new FormatException("trust file: witness_vkeys must be strings");
      }
      ws.add(NoteKey.parseVkey(s));
    }
    return new TrustAnchors(
        NoteKey.parseVkey(m.string("signer_vkey")),
        op,
        ws,
        (int) m.integer("witness_quorum", 0, 255),
        dev);
  }
}
