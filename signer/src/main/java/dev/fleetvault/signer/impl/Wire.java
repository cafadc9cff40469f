package dev.fleetvault.signer.impl;

import dev.fleetvault.bundles.SignatureMessage;
import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;
import dev.fleetvault.signer.SignerService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** JSON shapes of the signer's HTTP API, shared by the server and {@code SignerClient}. */
public final class Wire {
  private Wire() {}

  /** An entry as served (the plexi-style signature response plus log index and checkpoint). */
  public static Map<String, Object> entry(
      SignerService.Entry e, int keyId, SignerService.Attachment a) {
    SignatureMessage m = e.message();
    Map<String, Object> o = new TreeMap<>();
    o.put("ciphersuite", m.ciphersuite());
    o.put("namespace", m.namespace());
    o.put("timestamp", m.timestampMillis());
    o.put("epoch", m.epoch());
    o.put("digest", Codec.hex(m.digest()));
    o.put("signature", Codec.b64(e.signature()));
    o.put("key_id", String.format("%08x", keyId));
    o.put("serialized_message", Codec.b64(m.encode()));
    o.put("log_index", e.index());
    o.put("checkpoint", e.checkpoint());
    o.put("artifact", a == null ? CanonicalJson.NULL : Codec.b64(a.artifact()));
    o.put("operator_signature", a == null ? CanonicalJson.NULL : Codec.b64(a.operatorSignature()));
    return o;
  }

  /**
   * Parses {@link #entry} output; checks the message fields agree with the serialized message.
   *
   * @return the entry and its (possibly null) attachment
   */
  public static SignerService.Logged parseEntry(byte[] json) {
    JsonMap m = CanonicalJson.parseObject(json);
    m.requireExactly(
        "ciphersuite",
        "namespace",
        "timestamp",
        "epoch",
        "digest",
        "signature",
        "key_id",
        "serialized_message",
        "log_index",
        "checkpoint",
        "artifact",
        "operator_signature");
    SignatureMessage msg = SignatureMessage.decode(m.base64("serialized_message", -1));
    if (msg.epoch() != m.nonNegative("epoch")
        || !msg.namespace().equals(m.string("namespace"))
        || msg.timestampMillis() != m.nonNegative("timestamp")
        || !java.util.Arrays.equals(msg.digest(), m.hex("digest", 32))) {
      throw new dev.fleetvault.bundles.FormatException(
          "entry fields disagree with serialized_message");
    }
    SignerService.Entry e =
        new SignerService.Entry(
            m.nonNegative("log_index"), msg, m.base64("signature", 64), m.string("checkpoint"));
    SignerService.Attachment a = null;
    if (m.asMap().get("artifact") != CanonicalJson.NULL) {
      a =
          new SignerService.Attachment(
              m.base64("artifact", -1), m.base64("operator_signature", -1));
    }
    return new SignerService.Logged(e, a);
  }

  /** A proof response. */
  public static Map<String, Object> proof(List<byte[]> hashes, Map<String, Object> extra) {
    Map<String, Object> o = new TreeMap<>(extra);
    List<Object> l = new ArrayList<>();
    for (byte[] h : hashes) {
      l.add(Codec.b64(h));
    }
    o.put("hashes", l);
    return o;
  }
}
