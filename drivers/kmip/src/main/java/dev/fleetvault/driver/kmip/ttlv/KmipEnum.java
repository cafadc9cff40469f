package dev.fleetvault.driver.kmip.ttlv;

/** A KMIP enumeration value with its 32-bit wire code. */
public interface KmipEnum {
  /** The wire code. */
  int code();

  /**
   * Looks up a wire code among {@code values}.
   *
   * @return the constant, or {@code null} when the code is not listed (vendor or newer values)
   */
  static <E extends Enum<E> & KmipEnum> E ofCode(Class<E> type, int code) {
    for (E e : type.getEnumConstants()) {
      if (e.code() == code) {
        return e;
      }
    }
    return null;
  }

  /** The constant name for {@code code}, or its hex form when unknown. */
  static <E extends Enum<E> & KmipEnum> String nameOf(Class<E> type, int code) {
    E e = ofCode(type, code);
    return e != null ? e.name() : String.format(java.util.Locale.ROOT, "0x%08X", code);
  }
}
