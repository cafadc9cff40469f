package dev.fleetvault.driver.kmip.client;

import dev.fleetvault.driver.kmip.ttlv.Tag;
import dev.fleetvault.driver.kmip.ttlv.Ttlv;
import dev.fleetvault.driver.kmip.ttlv.TtlvException;

/**
 * A KMIP protocol version (major.minor), ordered by version.
 *
 * @param major major version (1 or 2)
 * @param minor minor version
 */
public record ProtocolVersion(int major, int minor) implements Comparable<ProtocolVersion> {
  /** KMIP 1.2: first version with Encrypt, Decrypt, Sign, SignatureVerify and MAC. */
  public static final ProtocolVersion V1_2 = new ProtocolVersion(1, 2);

  /** KMIP 1.3. */
  public static final ProtocolVersion V1_3 = new ProtocolVersion(1, 3);

  /** KMIP 1.4: adds the AEAD associated data and tag fields that AES-GCM needs. */
  public static final ProtocolVersion V1_4 = new ProtocolVersion(1, 4);

  /** Encodes as a Protocol Version structure. */
  public Ttlv toTtlv() {
    return Ttlv.structure(
        Tag.PROTOCOL_VERSION,
        Ttlv.integer(Tag.PROTOCOL_VERSION_MAJOR, major),
        Ttlv.integer(Tag.PROTOCOL_VERSION_MINOR, minor));
  }

  /** Decodes a Protocol Version structure. */
  public static ProtocolVersion fromTtlv(Ttlv t) throws TtlvException {
    return new ProtocolVersion(
        t.require(Tag.PROTOCOL_VERSION_MAJOR).asInt(),
        t.require(Tag.PROTOCOL_VERSION_MINOR).asInt());
  }

  @Override
  public int compareTo(ProtocolVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
