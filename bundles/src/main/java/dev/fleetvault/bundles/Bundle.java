package dev.fleetvault.bundles;

import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;
import dev.fleetvault.bundles.tlog.MerkleProofs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A validation bundle: the fleet artifact, the signer's Ed25519 signature over the {@link
 * SignatureMessage}, the operator's ECDSA P-256 counter-signature over the signer's signature
 * bytes, the entry's log index, an inclusion proof and the signed checkpoint it proves against.
 * Encoded as canonical JSON:
 *
 * <pre>
 * {"artifact":b64,"checkpoint":"&lt;signed note&gt;","ciphersuite":3841,"digest":hex,"epoch":n,
 * "inclusion_proof":[b64…],"log_index":i,"namespace":"…","operator_signature":b64 DER,
 * "signer_signature":b64,"timestamp":ms,"version":1}</pre>
 *
 * <p>A bundle is only data: nothing about it is trusted until {@link BundleVerifier} accepts it.
 *
 * @param artifact canonical artifact bytes exactly as hashed
 * @param message the signed message (namespace, epoch, digest, timestamp, ciphersuite)
 * @param signerSignature 64-byte Ed25519 signature over {@code message.encode()}
 * @param operatorSignature DER ECDSA P-256/SHA-256 signature over {@code signerSignature}
 * @param logIndex index of the entry in the signer's audit log
 * @param inclusionProof RFC 9162 inclusion proof of the entry in the checkpoint's tree
 * @param checkpoint C2SP signed note holding the tlog checkpoint
 */
public record Bundle(
    byte[] artifact,
    SignatureMessage message,
    byte[] signerSignature,
    byte[] operatorSignature,
    long logIndex,
    List<byte[]> inclusionProof,
    String checkpoint) {
  /** Format version. */
  public static final int VERSION = 1;

  /** Copies arrays. */
  public Bundle {
    artifact = artifact.clone();
    signerSignature = signerSignature.clone();
    operatorSignature = operatorSignature.clone();
    List<byte[]> p = new ArrayList<>();
    for (byte[] h : inclusionProof) {
      p.add(h.clone());
    }
    inclusionProof = List.copyOf(p);
    if (logIndex < 0) {
      throw new FormatException("log_index is negative");
    }
  }

  @Override
  public byte[] artifact() {
    return artifact.clone();
  }

  @Override
  public byte[] signerSignature() {
    return signerSignature.clone();
  }

  @Override
  public byte[] operatorSignature() {
    return operatorSignature.clone();
  }

  /** The same bundle proven against a newer checkpoint. */
  public Bundle withCheckpoint(String newCheckpoint, List<byte[]> newInclusionProof) {
    return new Bundle(
        artifact,
        message,
        signerSignature,
        operatorSignature,
        logIndex,
        newInclusionProof,
        newCheckpoint);
  }

  Map<String, Object> toJsonMap() {
    Map<String, Object> m = new TreeMap<>();
    m.put("version", VERSION);
    m.put("artifact", Codec.b64(artifact));
    m.put("ciphersuite", message.ciphersuite());
    m.put("namespace", message.namespace());
    m.put("timestamp", message.timestampMillis());
    m.put("epoch", message.epoch());
    m.put("digest", Codec.hex(message.digest()));
    m.put("signer_signature", Codec.b64(signerSignature));
    m.put("operator_signature", Codec.b64(operatorSignature));
    m.put("log_index", logIndex);
    m.put("inclusion_proof", b64List(inclusionProof));
    m.put("checkpoint", checkpoint);
    return m;
  }

  /** Canonical JSON bytes. */
  public byte[] toJson() {
    return CanonicalJson.encode(toJsonMap());
  }

  /** Parses a bundle (strict JSON: no unknown or missing fields). */
  public static Bundle parse(byte[] json) {
    return fromJson(CanonicalJson.parseObject(json));
  }

  static Bundle fromJson(JsonMap m) {
    m.requireExactly(
        "version",
        "artifact",
        "ciphersuite",
        "namespace",
        "timestamp",
        "epoch",
        "digest",
        "signer_signature",
        "operator_signature",
        "log_index",
        "inclusion_proof",
        "checkpoint");
    if (m.integer("version", 0, 255) != VERSION) {
      throw new FormatException("unsupported bundle version");
    }
    SignatureMessage msg =
        new SignatureMessage(
            (int) m.integer("ciphersuite", 0, 0xFFFF),
            m.string("namespace"),
            m.nonNegative("timestamp"),
            m.integer("epoch", 1, CanonicalJson.MAX_SAFE),
            m.hex("digest", 32));
    return new Bundle(
        m.base64("artifact", -1),
        msg,
        m.base64("signer_signature", 64),
        m.base64("operator_signature", -1),
        m.nonNegative("log_index"),
        m.base64List("inclusion_proof", 32, MerkleProofs.MAX_PROOF_HASHES),
        m.string("checkpoint"));
  }

  static List<Object> b64List(List<byte[]> l) {
    List<Object> out = new ArrayList<>();
    for (byte[] b : l) {
      out.add(Codec.b64(b));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bundle b && java.util.Arrays.equals(b.toJson(), toJson());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(toJson());
  }

  @Override
  public String toString() {
    return "Bundle[" + message + " index=" + logIndex + "]";
  }
}
