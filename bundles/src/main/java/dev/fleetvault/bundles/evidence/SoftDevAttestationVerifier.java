package dev.fleetvault.bundles.evidence;

import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.protocol.sig.EcdsaP256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies the soft driver's DEVELOPMENT attestation ({@value #FORMAT}): the signature by the
 * per-install device key it names, and that it names the key. It chains to no vendor root, so a
 * passing result is never {@code hardwareRooted}. Optionally pinned to known device keys (SPKI):
 * then an attestation by any other device key does not chain.
 */
public final class SoftDevAttestationVerifier implements AttestationVerifier {
  /** The format. */
  public static final String FORMAT = "fleetvault-soft-dev-attestation-v1";

  private static final List<String> FIELDS =
      List.of(
          "notice",
          "device_key",
          "device_id",
          "key_label",
          "key_spec",
          "key_id",
          "public_key",
          "generated_in_driver",
          "exportable",
          "signature");
  private final List<byte[]> pinnedDeviceKeys;

  /**
   * Accepts any device key (the attestation is self-certified: development only). Used by
   * ServiceLoader.
   */
  public SoftDevAttestationVerifier() {
    this(List.of());
  }

  /** Accepts only attestations by one of these device keys (SPKI); empty: any. */
  public SoftDevAttestationVerifier(List<byte[]> pinnedDeviceKeys) {
    this.pinnedDeviceKeys = List.copyOf(pinnedDeviceKeys);
  }

  @Override
  public String format() {
    return FORMAT;
  }

  @Override
  public Result verify(byte[] attestation, AttestedKey key) {
    String text = new String(attestation, StandardCharsets.UTF_8);
    if (!text.startsWith(FORMAT + "\n") || !text.endsWith("\n")) {
      return Result.fail("not a " + FORMAT + " document");
    }
    String[] lines = text.substring(FORMAT.length() + 1, text.length() - 1).split("\n", -1);
    if (lines.length != FIELDS.size()) {
      return Result.fail("expected " + FIELDS.size() + " fields, found " + lines.length);
    }
    Map<String, String> f = new LinkedHashMap<>();
    for (int i = 0; i < lines.length; i++) {
      String want = FIELDS.get(i) + ": ";
      if (!lines[i].startsWith(want)) {
        return Result.fail("field " + (i + 1) + " must be " + FIELDS.get(i));
      }
      f.put(FIELDS.get(i), lines[i].substring(want.length()));
    }
    byte[] deviceSpki;
    byte[] sig;
    try {
      deviceSpki = Base64.getDecoder().decode(f.get("device_key"));
      sig = Base64.getDecoder().decode(f.get("signature"));
    } catch (IllegalArgumentException e) {
      return Result.fail("device_key or signature is not base64");
    }
    int cut = text.lastIndexOf("signature: ");
    byte[] signed = text.substring(0, cut).getBytes(StandardCharsets.UTF_8);
    boolean sigOk;
    try {
      sigOk = EcdsaP256.verify(Crypto.p256FromSpki(deviceSpki), signed, sig);
    } catch (IllegalArgumentException e) {
      return Result.fail("device_key is not a P-256 key");
    }
    if (!sigOk) {
      return Result.fail(
          "signature does not verify with the device key it names (tampered or forged)");
    }
    if (!pinnedDeviceKeys.isEmpty()
        && pinnedDeviceKeys.stream().noneMatch(p -> java.util.Arrays.equals(p, deviceSpki))) {
      return Result.fail(
          "does not chain: device key "
              + fingerprint(deviceSpki)
              + " is not one of the pinned device keys");
    }
    if (!f.get("key_label").equals(key.label())
        || !f.get("key_spec").equals(key.spec())
        || !f.get("key_id").equals(key.keyId())) {
      return Result.fail(
          "attests a different key (" + f.get("key_label") + ", " + f.get("key_id") + ")");
    }
    String pub =
        key.publicKeySpki().length == 0
            ? "-"
            : Base64.getEncoder().encodeToString(key.publicKeySpki());
    if (!f.get("public_key").equals(pub)) {
      return Result.fail("attests a different public key");
    }
    if (!"true".equals(f.get("generated_in_driver")) || !"false".equals(f.get("exportable"))) {
      return Result.fail("says the key was not generated in the driver or is exportable");
    }
    return new Result(
        true,
        false,
        "development attestation by soft device key "
            + fingerprint(deviceSpki)
            + " (no hardware root)");
  }

  private static String fingerprint(byte[] spki) {
    return "sha256:" + dev.fleetvault.bundles.codec.Codec.hex(Crypto.sha256(spki)).substring(0, 16);
  }
}
