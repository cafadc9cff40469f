package dev.fleetvault.driver.kmip.ttlv;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable TTLV item: a 3-byte tag, a type and a value.
 *
 * <p>Guarantees: instances are immutable (byte strings are copied in and out); the factory methods
 * reject values the type cannot hold (tags outside {@code 0x420000-0x42FFFF} and {@code
 * 0x540000-0x54FFFF}, negative intervals, ...); {@link #toString()} never prints the content of a
 * byte string, which may be key material.
 */
public final class Ttlv {
  private final int tag;
  private final ItemType type;
  private final long number;
  private final Object object;

  private Ttlv(int tag, ItemType type, long number, Object object) {
    checkTag(tag);
    this.tag = tag;
    this.type = type;
    this.number = number;
    this.object = object;
  }

  static void checkTag(int tag) {
    int high = tag >>> 16;
    if ((tag & 0xFF000000) != 0 || (high != 0x42 && high != 0x54)) {
      throw new IllegalArgumentException(
          "TTLV tag must be 0x42xxxx or 0x54xxxx, got 0x" + Integer.toHexString(tag));
    }
  }

  /** A structure holding {@code children} in order. */
  public static Ttlv structure(int tag, List<Ttlv> children) {
    for (Ttlv c : children) {
      Objects.requireNonNull(c, "structure child");
    }
    return new Ttlv(tag, ItemType.STRUCTURE, 0, List.copyOf(children));
  }

  /**
   * A structure holding {@code children} in order; {@code null} children are skipped (optional
   * fields).
   */
  public static Ttlv structure(int tag, Ttlv... children) {
    List<Ttlv> list = new ArrayList<>(children.length);
    for (Ttlv c : children) {
      if (c != null) {
        list.add(c);
      }
    }
    return new Ttlv(tag, ItemType.STRUCTURE, 0, List.copyOf(list));
  }

  /** A 32-bit signed Integer. */
  public static Ttlv integer(int tag, int value) {
    return new Ttlv(tag, ItemType.INTEGER, value, null);
  }

  /** A 64-bit signed Long Integer. */
  public static Ttlv longInteger(int tag, long value) {
    return new Ttlv(tag, ItemType.LONG_INTEGER, value, null);
  }

  /**
   * A Big Integer (any sign; encoded in two's complement, sign-extended to a multiple of 8 bytes).
   */
  public static Ttlv bigInteger(int tag, BigInteger value) {
    return new Ttlv(tag, ItemType.BIG_INTEGER, 0, Objects.requireNonNull(value, "value"));
  }

  /** An Enumeration; the value is the unsigned 32-bit code held in an int. */
  public static Ttlv enumeration(int tag, int value) {
    return new Ttlv(tag, ItemType.ENUMERATION, value & 0xFFFFFFFFL, null);
  }

  /** A Boolean. */
  public static Ttlv bool(int tag, boolean value) {
    return new Ttlv(tag, ItemType.BOOLEAN, value ? 1 : 0, null);
  }

  /** A Text String (UTF-8 on the wire). */
  public static Ttlv text(int tag, String value) {
    return new Ttlv(tag, ItemType.TEXT_STRING, 0, Objects.requireNonNull(value, "value"));
  }

  /** A Byte String; the array is copied. */
  public static Ttlv bytes(int tag, byte[] value) {
    return new Ttlv(tag, ItemType.BYTE_STRING, 0, Objects.requireNonNull(value, "value").clone());
  }

  /** A Date-Time in seconds since the POSIX epoch. */
  public static Ttlv dateTime(int tag, long epochSeconds) {
    return new Ttlv(tag, ItemType.DATE_TIME, epochSeconds, null);
  }

  /** A Date-Time Extended (KMIP 2.0) in microseconds since the POSIX epoch. */
  public static Ttlv dateTimeExtended(int tag, long epochMicros) {
    return new Ttlv(tag, ItemType.DATE_TIME_EXTENDED, epochMicros, null);
  }

  /** An Interval in seconds, 0 to 2^32-1. */
  public static Ttlv interval(int tag, long seconds) {
    if (seconds < 0 || seconds > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("interval out of range: " + seconds);
    }
    return new Ttlv(tag, ItemType.INTERVAL, seconds, null);
  }

  /** The 3-byte tag as an int ({@code 0x42xxxx} or {@code 0x54xxxx}). */
  public int tag() {
    return tag;
  }

  /** The item type. */
  public ItemType type() {
    return type;
  }

  private void expect(ItemType t) throws TtlvException {
    if (type != t) {
      throw new TtlvException(Tag.name(tag) + " is " + type + ", expected " + t);
    }
  }

  /** The value of an Integer item. */
  public int asInt() throws TtlvException {
    expect(ItemType.INTEGER);
    return (int) number;
  }

  /** The value of a Long Integer item. */
  public long asLong() throws TtlvException {
    expect(ItemType.LONG_INTEGER);
    return number;
  }

  /** The value of a Big Integer item. */
  public BigInteger asBigInteger() throws TtlvException {
    expect(ItemType.BIG_INTEGER);
    return (BigInteger) object;
  }

  /** The code of an Enumeration item (unsigned 32-bit value in an int). */
  public int asEnum() throws TtlvException {
    expect(ItemType.ENUMERATION);
    return (int) number;
  }

  /** The value of a Boolean item. */
  public boolean asBoolean() throws TtlvException {
    expect(ItemType.BOOLEAN);
    return number != 0;
  }

  /** The value of a Text String item. */
  public String asText() throws TtlvException {
    expect(ItemType.TEXT_STRING);
    return (String) object;
  }

  /** A copy of the value of a Byte String item. */
  public byte[] asBytes() throws TtlvException {
    expect(ItemType.BYTE_STRING);
    return ((byte[]) object).clone();
  }

  /** Seconds since the epoch of a Date-Time item. */
  public long asDateTime() throws TtlvException {
    expect(ItemType.DATE_TIME);
    return number;
  }

  /** Microseconds since the epoch of a Date-Time Extended item. */
  public long asDateTimeExtended() throws TtlvException {
    expect(ItemType.DATE_TIME_EXTENDED);
    return number;
  }

  /** Seconds of an Interval item. */
  public long asInterval() throws TtlvException {
    expect(ItemType.INTERVAL);
    return number;
  }

  /** The children of a Structure item (unmodifiable). */
  @SuppressWarnings("unchecked")
  public List<Ttlv> children() throws TtlvException {
    expect(ItemType.STRUCTURE);
    return (List<Ttlv>) object;
  }

  /** The first child with {@code childTag}, if any. */
  public Optional<Ttlv> find(int childTag) throws TtlvException {
    for (Ttlv c : children()) {
      if (c.tag == childTag) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The first child with {@code childTag}; a clear error when it is missing. */
  public Ttlv require(int childTag) throws TtlvException {
    return find(childTag)
        .orElseThrow(
            () -> new TtlvException(Tag.name(tag) + " lacks required " + Tag.name(childTag)));
  }

  /** Every child with {@code childTag}, in order. */
  public List<Ttlv> all(int childTag) throws TtlvException {
    List<Ttlv> out = new ArrayList<>();
    for (Ttlv c : children()) {
      if (c.tag == childTag) {
        out.add(c);
      }
    }
    return out;
  }

  // package-private raw access for the codec
  long rawNumber() {
    return number;
  }

  Object rawObject() {
    return object;
  }

  byte[] textBytes() {
    return ((String) object).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Ttlv)) {
      return false;
    }
    Ttlv t = (Ttlv) o;
    if (tag != t.tag || type != t.type || number != t.number) {
      return false;
    }
    if (object instanceof byte[]) {
      return Arrays.equals((byte[]) object, (byte[]) t.object);
    }
    return Objects.equals(object, t.object);
  }

  @Override
  public int hashCode() {
    int h = 31 * tag + type.hashCode();
    h = 31 * h + Long.hashCode(number);
    if (object instanceof byte[]) {
      return 31 * h + Arrays.hashCode((byte[]) object);
    }
    return 31 * h + Objects.hashCode(object);
  }

  /** A readable dump; byte strings show only their length. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    appendTo(sb, 0);
    return sb.toString();
  }

  private void appendTo(StringBuilder sb, int indent) {
    sb.append("  ".repeat(indent)).append(Tag.name(tag)).append(' ').append(type).append(' ');
    switch (type) {
      case STRUCTURE -> {
        @SuppressWarnings("unchecked")
        List<Ttlv> kids = (List<Ttlv>) object;
        sb.append('{');
        for (Ttlv k : kids) {
          sb.append('\n');
          k.appendTo(sb, indent + 1);
        }
        sb.append(kids.isEmpty() ? "}" : "\n" + "  ".repeat(indent) + "}");
      }
      case BYTE_STRING -> sb.append('[').append(((byte[]) object).length).append(" bytes]");
      case TEXT_STRING -> sb.append('"').append(object).append('"');
      case BIG_INTEGER -> sb.append("[").append(((BigInteger) object).bitLength()).append(" bits]");
      case ENUMERATION -> sb.append("0x").append(Long.toHexString(number));
      case BOOLEAN -> sb.append(number != 0);
      default -> sb.append(number);
    }
  }
}
