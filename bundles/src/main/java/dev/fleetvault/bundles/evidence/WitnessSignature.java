package dev.fleetvault.bundles.evidence;

import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One witness's Ed25519 signature over a {@link Transcript#witnessInput()}.
 *
 * @param name the witness's name as it signed
 * @param publicKey raw 32-byte Ed25519 key
 * @param signature 64-byte signature
 */
public record WitnessSignature(String name, byte[] publicKey, byte[] signature) {
  /** Format of the witnesses file. */
  public static final String FORMAT = "fleetvault.witness_signatures.v1";

  /** Validates and copies. */
  public WitnessSignature {
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new FormatException("witness name must be 1..64 chars of [A-Za-z0-9._-]");
    }
    if (publicKey.length != 32 || signature.length != 64) {
      throw new FormatException(
          "witness " + name + ": key must be 32 bytes and signature 64 bytes");
    }
    publicKey = publicKey.clone();
    signature = signature.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The witnesses file: {@code {"format":..,"signatures":[{"name","public_key","signature"}]}}. */
  public static byte[] encodeAll(List<WitnessSignature> sigs) {
    List<Object> l = new ArrayList<>();
    for (WitnessSignature w : sigs) {
      Map<String, Object> m = new TreeMap<>();
      m.put("name", w.name);
      m.put("public_key", Codec.b64(w.publicKey));
      m.put("signature", Codec.b64(w.signature));
      l.add(m);
    }
    Map<String, Object> m = new TreeMap<>();
    m.put("format", FORMAT);
    m.put("signatures", l);
    return CanonicalJson.encode(m);
  }

  /** Parses the witnesses file. */
  public static List<WitnessSignature> parseAll(byte[] json) {
    JsonMap m = CanonicalJson.parseCanonicalObject(json);
    m.requireExactly("format", "signatures");
    if (!FORMAT.equals(m.string("format"))) {
      throw new FormatException("witnesses: format must be " + FORMAT);
    }
    List<WitnessSignature> out = new ArrayList<>();
    for (Object o : m.list("signatures")) {
      JsonMap w = JsonMap.of(o, "witness signature");
      w.requireExactly("name", "public_key", "signature");
      out.add(
          new WitnessSignature(
              w.string("name"), w.base64("public_key", 32), w.base64("signature", 64)));
    }
    return out;
  }
}
