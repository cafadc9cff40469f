package dev.fleetvault.driver.kmip.client;

import dev.fleetvault.driver.kmip.ttlv.KmipEnums.CryptographicAlgorithm;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.NameType;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ObjectType;
import dev.fleetvault.driver.kmip.ttlv.Tag;
import dev.fleetvault.driver.kmip.ttlv.Ttlv;
import dev.fleetvault.driver.kmip.ttlv.TtlvException;
import java.util.Objects;

/**
 * A KMIP 1.x Attribute: name, optional index and a typed value (tag {@code ATTRIBUTE_VALUE}).
 *
 * @param name the attribute name as KMIP spells it ("Cryptographic Algorithm", "Name" ...)
 * @param index the attribute index, or -1 when absent
 * @param value the value item (its tag is {@link Tag#ATTRIBUTE_VALUE})
 */
public record Attribute(String name, int index, Ttlv value) {
  public static final String NAME = "Name";
  public static final String OBJECT_TYPE = "Object Type";
  public static final String CRYPTOGRAPHIC_ALGORITHM = "Cryptographic Algorithm";
  public static final String CRYPTOGRAPHIC_LENGTH = "Cryptographic Length";
  public static final String CRYPTOGRAPHIC_USAGE_MASK = "Cryptographic Usage Mask";
  public static final String STATE = "State";

  /** KMIP 1.4: whether the key may leave the server (Get, export). */
  public static final String EXTRACTABLE = "Extractable";

  /** KMIP 1.4: whether the key material is sensitive (never returned in clear). */
  public static final String SENSITIVE = "Sensitive";

  /** Validates the fields. */
  public Attribute {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (value.tag() != Tag.ATTRIBUTE_VALUE) {
      throw new IllegalArgumentException("attribute value must have tag ATTRIBUTE_VALUE");
    }
  }

  /** A Name attribute holding an uninterpreted text string. */
  public static Attribute name(String text) {
    return new Attribute(
        NAME,
        -1,
        Ttlv.structure(
            Tag.ATTRIBUTE_VALUE,
            Ttlv.text(Tag.NAME_VALUE, text),
            Ttlv.enumeration(Tag.NAME_TYPE, NameType.UNINTERPRETED_TEXT_STRING.code())));
  }

  /** An Object Type attribute (for Locate filters). */
  public static Attribute objectType(ObjectType type) {
    return new Attribute(OBJECT_TYPE, -1, Ttlv.enumeration(Tag.ATTRIBUTE_VALUE, type.code()));
  }

  /** A Cryptographic Algorithm attribute. */
  public static Attribute algorithm(CryptographicAlgorithm alg) {
    return new Attribute(
        CRYPTOGRAPHIC_ALGORITHM, -1, Ttlv.enumeration(Tag.ATTRIBUTE_VALUE, alg.code()));
  }

  /** A Cryptographic Length attribute (bits). */
  public static Attribute length(int bits) {
    return new Attribute(CRYPTOGRAPHIC_LENGTH, -1, Ttlv.integer(Tag.ATTRIBUTE_VALUE, bits));
  }

  /** A Cryptographic Usage Mask attribute (see {@code KmipEnums.UsageMask}). */
  public static Attribute usageMask(int mask) {
    return new Attribute(CRYPTOGRAPHIC_USAGE_MASK, -1, Ttlv.integer(Tag.ATTRIBUTE_VALUE, mask));
  }

  /** A Boolean attribute such as {@link #EXTRACTABLE} or {@link #SENSITIVE}. */
  public static Attribute flag(String name, boolean value) {
    return new Attribute(name, -1, Ttlv.bool(Tag.ATTRIBUTE_VALUE, value));
  }

  /** Encodes as an Attribute structure. */
  public Ttlv toTtlv() {
    return Ttlv.structure(
        Tag.ATTRIBUTE,
        Ttlv.text(Tag.ATTRIBUTE_NAME, name),
        index >= 0 ? Ttlv.integer(Tag.ATTRIBUTE_INDEX, index) : null,
        value);
  }

  /** Decodes an Attribute structure. */
  public static Attribute fromTtlv(Ttlv t) throws TtlvException {
    int idx = -1;
    var i = t.find(Tag.ATTRIBUTE_INDEX);
    if (i.isPresent()) {
      idx = i.get().asInt();
    }
    return new Attribute(
        t.require(Tag.ATTRIBUTE_NAME).asText(), idx, t.require(Tag.ATTRIBUTE_VALUE));
  }

  /** The text of a Name attribute. */
  public String nameText() throws TtlvException {
    return value.require(Tag.NAME_VALUE).asText();
  }
}
