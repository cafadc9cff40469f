package dev.fleetvault.driver.pkcs11.impl;

import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmException.Kind;
import dev.fleetvault.driver.spi.HsmFatalException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads slot, token and library facts through the JDK's internal PKCS#11 wrapper, which SunPKCS11
 * itself uses but does not expose. The wrapper's package is not exported, so this works only when
 * the JVM runs with {@value #ADD_EXPORTS}; everything here is reflective (no compile-time
 * dependency) and {@link #available()} says whether it can be used.
 *
 * <p>The wrapper instance is shared per library path with SunPKCS11 and initialised the way
 * SunPKCS11 initialises it ({@code CKF_OS_LOCKING_OK}), so using it first changes nothing for
 * SunPKCS11.
 */
final class WrapperAccess {

  /** The JVM option that makes the wrapper usable. */
  static final String ADD_EXPORTS = "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";
  private static final String PKG = "sun.security.pkcs11.wrapper";
  private static final long CKF_OS_LOCKING_OK = 0x2L;

  private WrapperAccess() {}

  /** Whether the wrapper package is exported to this code. */
  static boolean available() {
    return ModuleLayer.boot().findModule("jdk.crypto.cryptoki")
        .map(m -> m.isExported(PKG, WrapperAccess.class.getModule()))
        .orElse(false);
  }

  /** Facts about one slot's token. */
  record TokenFacts(long slotId, String label, String manufacturer, String model, String serial,
                    String hardwareVersion, String firmwareVersion, long flags) {}

  /** Facts about the library. */
  record LibraryFacts(String manufacturer, String description, String libraryVersion, String cryptokiVersion) {}

  private static Object pkcs11(Path library) throws ReflectiveOperationException {
    Class<?> w = Class.forName(PKG + ".PKCS11");
    Class<?> ia = Class.forName(PKG + ".CK_C_INITIALIZE_ARGS");
    Object args = ia.getConstructor().newInstance();
    ia.getField("flags").setLong(args, CKF_OS_LOCKING_OK);
    Method gi = w.getMethod("getInstance", String.class, String.class, ia, boolean.class);
    return gi.invoke(null, library.toString(), "C_GetFunctionList", args, false);
  }

  /** Tokens present, in the library's slot order. */
  static List<TokenFacts> tokens(Path library) throws HsmException {
    try {
      Object p11 = pkcs11(library);
      long[] slots = (long[]) p11.getClass().getMethod("C_GetSlotList", boolean.class).invoke(p11, true);
      List<TokenFacts> out = new ArrayList<>();
      for (long s : slots) {
        out.add(token(p11, s));
      }
      return out;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw failure("cannot list PKCS#11 slots of " + library, e);
    }
  }

  /** All slot ids (with or without a token), the list SunPKCS11's {@code slotListIndex} indexes. */
  static long[] allSlots(Path library) throws HsmException {
    try {
      Object p11 = pkcs11(library);
      return (long[]) p11.getClass().getMethod("C_GetSlotList", boolean.class).invoke(p11, false);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw failure("cannot list PKCS#11 slots of " + library, e);
    }
  }

  /** Facts about the token in {@code slotId}. */
  static TokenFacts token(Path library, long slotId) throws HsmException {
    try {
      return token(pkcs11(library), slotId);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw failure("cannot read token info of slot " + slotId, e);
    }
  }

  private static TokenFacts token(Object p11, long slot) throws ReflectiveOperationException {
    Object ti = p11.getClass().getMethod("C_GetTokenInfo", long.class).invoke(p11, slot);
    Class<?> c = ti.getClass();
    return new TokenFacts(slot, chars(c, ti, "label"), chars(c, ti, "manufacturerID"), chars(c, ti, "model"),
        chars(c, ti, "serialNumber"), version(c.getField("hardwareVersion").get(ti)),
        version(c.getField("firmwareVersion").get(ti)), c.getField("flags").getLong(ti));
  }

  /** Facts about the library itself. */
  static LibraryFacts library(Path library) throws HsmException {
    try {
      Object p11 = pkcs11(library);
      Object info = p11.getClass().getMethod("C_GetInfo").invoke(p11);
      Class<?> c = info.getClass();
      return new LibraryFacts(chars(c, info, "manufacturerID"), chars(c, info, "libraryDescription"),
          version(c.getField("libraryVersion").get(info)), version(c.getField("cryptokiVersion").get(info)));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw failure("cannot read PKCS#11 library info", e);
    }
  }

  /** The slot id whose token label is {@code label}; CONFIG error naming the labels present otherwise. */
  static long slotByTokenLabel(Path library, String label, String source) throws HsmException {
    Map<Long, String> seen = new LinkedHashMap<>();
    List<Long> matches = new ArrayList<>();
    for (TokenFacts t : tokens(library)) {
      seen.put(t.slotId(), t.label());
      if (t.label().equals(label)) {
        matches.add(t.slotId());
      }
    }
    if (matches.isEmpty()) {
      throw new HsmFatalException(Kind.CONFIG, source + ": key 'token_label': no token labelled '" + label
          + "' in " + library + "; tokens present: " + seen.values());
    }
    if (matches.size() > 1) {
      throw new HsmFatalException(Kind.CONFIG, source + ": key 'token_label': " + matches.size() + " tokens are labelled '"
          + label + "' (slots " + matches + "); relabel one or configure slot instead");
    }
    return matches.get(0);
  }

  private static String chars(Class<?> c, Object o, String field) throws ReflectiveOperationException {
    char[] v = (char[]) c.getField(field).get(o);
    return v == null ? "" : new String(v).trim();
  }

  private static String version(Object ckVersion) throws ReflectiveOperationException {
    if (ckVersion == null) {
      return "unknown";
    }
    Class<?> c = ckVersion.getClass();
    int major = c.getField("major").getByte(ckVersion) & 0xff;
    int minor = c.getField("minor").getByte(ckVersion) & 0xff;
    return major + "." + (minor < 10 ? "0" : "") + minor;
  }

  private static HsmException failure(String what, Throwable e) {
    Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
    return CkrErrors.map(what, cause, Kind.DEVICE_ERROR);
  }
}
