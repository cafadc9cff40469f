package dev.fleetvault.bundles.evidence;

import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One member key as its key statement describes it.
 *
 * @param role {@code hpke}, {@code sign} or {@code seal}
 * @param label the key's label in the HSM
 * @param spec key type ({@code EC_P256}, {@code AES_256} ...)
 * @param keyId the driver's key id
 * @param publicKeySpki X.509 SubjectPublicKeyInfo for key pairs, empty for secret keys
 * @param provenance what the device said about the key's origin, or empty when it could not say
 * @param provenanceError why provenance is missing (empty when present)
 * @param attestation a device attestation, if the device gave one
 */
public record KeyFacts(
    String role,
    String label,
    String spec,
    String keyId,
    byte[] publicKeySpki,
    Optional<Provenance> provenance,
    String provenanceError,
    Optional<AttestationData> attestation) {

  /** Copies. */
  public KeyFacts {
    publicKeySpki = publicKeySpki.clone();
  }

  @Override
  public byte[] publicKeySpki() {
    return publicKeySpki.clone();
  }

  /**
   * Device-reported provenance (see the driver SPI's {@code KeyProvenance}).
   *
   * @param attributes the raw attribute names and values as the device reported them
   */
  public record Provenance(
      boolean generatedOnDevice,
      boolean neverExtractable,
      boolean alwaysSensitive,
      boolean extractable,
      String source,
      Map<String, String> attributes) {
    /** Copies. */
    public Provenance {
      attributes = Map.copyOf(attributes);
    }

    /** Born in the device and never able to leave it. */
    public boolean bornInDeviceAndNonExportable() {
      return generatedOnDevice && neverExtractable && alwaysSensitive && !extractable;
    }
  }

  /** A device attestation: format name and bytes. */
  public record AttestationData(String format, byte[] bytes) {
    /** Copies. */
    public AttestationData {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("role", role);
    m.put("label", label);
    m.put("spec", spec);
    m.put("key_id", keyId);
    m.put("public_key", Codec.b64(publicKeySpki));
    m.put("provenance_error", provenanceError);
    if (provenance.isPresent()) {
      Provenance p = provenance.get();
      Map<String, Object> pm = new TreeMap<>();
      pm.put("generated_on_device", p.generatedOnDevice());
      pm.put("never_extractable", p.neverExtractable());
      pm.put("always_sensitive", p.alwaysSensitive());
      pm.put("extractable", p.extractable());
      pm.put("source", p.source());
      pm.put("attributes", new TreeMap<>(p.attributes()));
      m.put("provenance", pm);
    } else {
      m.put("provenance", CanonicalJson.NULL);
    }
    if (attestation.isPresent()) {
      Map<String, Object> am = new TreeMap<>();
      am.put("format", attestation.get().format());
      am.put("data", Codec.b64(attestation.get().bytes()));
      m.put("attestation", am);
    } else {
      m.put("attestation", CanonicalJson.NULL);
    }
    return m;
  }

  static KeyFacts fromJson(JsonMap m) {
    m.requireExactly(
        "role",
        "label",
        "spec",
        "key_id",
        "public_key",
        "provenance",
        "provenance_error",
        "attestation");
    Optional<Provenance> prov = Optional.empty();
    if (m.asMap().get("provenance") != CanonicalJson.NULL) {
      JsonMap p = m.object("provenance");
      p.requireExactly(
          "generated_on_device",
          "never_extractable",
          "always_sensitive",
          "extractable",
          "source",
          "attributes");
      prov =
          Optional.of(
              new Provenance(
                  p.bool("generated_on_device"),
                  p.bool("never_extractable"),
                  p.bool("always_sensitive"),
                  p.bool("extractable"),
                  p.string("source"),
                  KeyStatement.strings(p.object("attributes"))));
    }
    Optional<AttestationData> att = Optional.empty();
    if (m.asMap().get("attestation") != CanonicalJson.NULL) {
      JsonMap a = m.object("attestation");
      a.requireExactly("format", "data");
      att = Optional.of(new AttestationData(a.string("format"), a.base64("data", -1)));
    }
    String role = m.string("role");
    if (!role.matches("[a-z0-9._-]{1,32}")) {
      throw new FormatException("key role must be 1..32 chars of [a-z0-9._-]");
    }
    return new KeyFacts(
        role,
        m.string("label"),
        m.string("spec"),
        m.string("key_id"),
        m.base64("public_key", -1),
        prov,
        m.string("provenance_error"),
        att);
  }
}
