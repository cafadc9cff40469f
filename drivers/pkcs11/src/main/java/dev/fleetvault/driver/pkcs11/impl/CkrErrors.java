package dev.fleetvault.driver.pkcs11.impl;

import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmException.Kind;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.HsmRetryableException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns SunPKCS11 failures into {@link HsmException}s that keep the PKCS#11 return value's name
 * ({@code CKR_...}) and code. SunPKCS11 throws {@code sun.security.pkcs11.wrapper.PKCS11Exception}
 * (whose message is the CKR name) wrapped in JCA exceptions; that class is in a module that is not
 * exported, so the name is read from the messages of the cause chain, not by type.
 */
final class CkrErrors {

  private static final Pattern CKR = Pattern.compile("CKR_[A-Z0-9_]+");

  /** PKCS#11 v2.40 return values (the ones a driver is likely to see). */
  static final Map<String, Long> CODES =
      Map.ofEntries(
          Map.entry("CKR_CANCEL", 0x1L),
          Map.entry("CKR_HOST_MEMORY", 0x2L),
          Map.entry("CKR_SLOT_ID_INVALID", 0x3L),
          Map.entry("CKR_GENERAL_ERROR", 0x5L),
          Map.entry("CKR_FUNCTION_FAILED", 0x6L),
          Map.entry("CKR_ARGUMENTS_BAD", 0x7L),
          Map.entry("CKR_ATTRIBUTE_SENSITIVE", 0x11L),
          Map.entry("CKR_ATTRIBUTE_VALUE_INVALID", 0x13L),
          Map.entry("CKR_DATA_INVALID", 0x20L),
          Map.entry("CKR_DATA_LEN_RANGE", 0x21L),
          Map.entry("CKR_DEVICE_ERROR", 0x30L),
          Map.entry("CKR_DEVICE_MEMORY", 0x31L),
          Map.entry("CKR_DEVICE_REMOVED", 0x32L),
          Map.entry("CKR_ENCRYPTED_DATA_INVALID", 0x40L),
          Map.entry("CKR_ENCRYPTED_DATA_LEN_RANGE", 0x41L),
          Map.entry("CKR_FUNCTION_CANCELED", 0x50L),
          Map.entry("CKR_FUNCTION_NOT_SUPPORTED", 0x54L),
          Map.entry("CKR_KEY_HANDLE_INVALID", 0x60L),
          Map.entry("CKR_KEY_SIZE_RANGE", 0x62L),
          Map.entry("CKR_KEY_TYPE_INCONSISTENT", 0x63L),
          Map.entry("CKR_KEY_FUNCTION_NOT_PERMITTED", 0x68L),
          Map.entry("CKR_KEY_NOT_WRAPPABLE", 0x69L),
          Map.entry("CKR_KEY_UNEXTRACTABLE", 0x6AL),
          Map.entry("CKR_MECHANISM_INVALID", 0x70L),
          Map.entry("CKR_MECHANISM_PARAM_INVALID", 0x71L),
          Map.entry("CKR_OBJECT_HANDLE_INVALID", 0x82L),
          Map.entry("CKR_OPERATION_ACTIVE", 0x90L),
          Map.entry("CKR_OPERATION_NOT_INITIALIZED", 0x91L),
          Map.entry("CKR_PIN_INCORRECT", 0xA0L),
          Map.entry("CKR_PIN_INVALID", 0xA1L),
          Map.entry("CKR_PIN_LEN_RANGE", 0xA2L),
          Map.entry("CKR_PIN_EXPIRED", 0xA3L),
          Map.entry("CKR_PIN_LOCKED", 0xA4L),
          Map.entry("CKR_SESSION_CLOSED", 0xB0L),
          Map.entry("CKR_SESSION_COUNT", 0xB1L),
          Map.entry("CKR_SESSION_HANDLE_INVALID", 0xB3L),
          Map.entry("CKR_SESSION_READ_ONLY", 0xB5L),
          Map.entry("CKR_SIGNATURE_INVALID", 0xC0L),
          Map.entry("CKR_SIGNATURE_LEN_RANGE", 0xC1L),
          Map.entry("CKR_TEMPLATE_INCOMPLETE", 0xD0L),
          Map.entry("CKR_TEMPLATE_INCONSISTENT", 0xD1L),
          Map.entry("CKR_TOKEN_NOT_PRESENT", 0xE0L),
          Map.entry("CKR_TOKEN_NOT_RECOGNIZED", 0xE1L),
          Map.entry("CKR_TOKEN_WRITE_PROTECTED", 0xE2L),
          Map.entry("CKR_USER_ALREADY_LOGGED_IN", 0x100L),
          Map.entry("CKR_USER_NOT_LOGGED_IN", 0x101L),
          Map.entry("CKR_USER_PIN_NOT_INITIALIZED", 0x102L),
          Map.entry("CKR_USER_TYPE_INVALID", 0x103L),
          Map.entry("CKR_BUFFER_TOO_SMALL", 0x150L),
          Map.entry("CKR_CRYPTOKI_NOT_INITIALIZED", 0x190L),
          Map.entry("CKR_CRYPTOKI_ALREADY_INITIALIZED", 0x191L));

  private CkrErrors() {}

  /** The first {@code CKR_...} name in the messages of {@code t}'s cause chain. */
  static Optional<String> ckrName(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null) {
        Matcher matcher = CKR.matcher(m);
        if (matcher.find()) {
          return Optional.of(matcher.group());
        }
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return Optional.empty();
  }

  /** The kind a CKR name means when nothing more specific is known. */
  static Kind kindOf(String ckr) {
    return switch (ckr) {
      case "CKR_PIN_INCORRECT",
          "CKR_PIN_INVALID",
          "CKR_PIN_LEN_RANGE",
          "CKR_PIN_EXPIRED",
          "CKR_PIN_LOCKED",
          "CKR_USER_NOT_LOGGED_IN",
          "CKR_USER_PIN_NOT_INITIALIZED" ->
          Kind.AUTHENTICATION;
      case "CKR_SESSION_COUNT",
          "CKR_SESSION_CLOSED",
          "CKR_SESSION_HANDLE_INVALID",
          "CKR_DEVICE_REMOVED",
          "CKR_TOKEN_NOT_PRESENT",
          "CKR_FUNCTION_CANCELED",
          "CKR_DEVICE_MEMORY",
          "CKR_HOST_MEMORY" ->
          Kind.UNAVAILABLE;
      case "CKR_KEY_HANDLE_INVALID", "CKR_OBJECT_HANDLE_INVALID" -> Kind.KEY_NOT_FOUND;
      case "CKR_KEY_TYPE_INCONSISTENT", "CKR_KEY_FUNCTION_NOT_PERMITTED" -> Kind.WRONG_KEY_TYPE;
      case "CKR_MECHANISM_INVALID", "CKR_FUNCTION_NOT_SUPPORTED" -> Kind.UNSUPPORTED;
      case "CKR_ENCRYPTED_DATA_INVALID", "CKR_ENCRYPTED_DATA_LEN_RANGE", "CKR_SIGNATURE_INVALID" ->
          Kind.INTEGRITY;
      case "CKR_SLOT_ID_INVALID", "CKR_TOKEN_NOT_RECOGNIZED" -> Kind.CONFIG;
      default -> Kind.DEVICE_ERROR;
    };
  }

  /**
   * Builds the exception for {@code t}: {@code fallback} kind unless the CKR name says more;
   * retryable for UNAVAILABLE.
   */
  static HsmException map(String what, Throwable t, Kind fallback) {
    Optional<String> name = ckrName(t);
    Kind kind = name.map(CkrErrors::kindOf).filter(k -> k != Kind.DEVICE_ERROR).orElse(fallback);
    Long code = name.map(CODES::get).orElse(null);
    String msg =
        what + (name.isPresent() ? " (" + name.get() + ")" : ": " + t.getClass().getSimpleName());
    if (kind == Kind.UNAVAILABLE || kind == Kind.BUSY) {
      return new HsmRetryableException(kind, msg, code, name.orElse(null), t);
    }
    return new HsmFatalException(kind, msg, code, name.orElse(null), t);
  }
}
