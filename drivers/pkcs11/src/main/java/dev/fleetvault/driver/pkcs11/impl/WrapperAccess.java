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
  static final String ADD_EXPORTS =
      "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";

  private static final String PKG = "sun.security.pkcs11.wrapper";
  private static final long CKF_OS_LOCKING_OK = 0x2L;

  private WrapperAccess() {}

  /** Whether the wrapper package is exported to this code. */
  static boolean available() {
    return ModuleLayer.boot()
        .findModule("jdk.crypto.cryptoki")
        .map(m -> m.isExported(PKG, WrapperAccess.class.getModule()))
        .orElse(false);
  }

  /** Facts about one slot's token. */
  record TokenFacts(
      long slotId,
      String label,
      String manufacturer,
      String model,
      String serial,
      String hardwareVersion,
      String firmwareVersion,
      long flags) {}

  /** Facts about the library. */
  record LibraryFacts(
      String manufacturer, String description, String libraryVersion, String cryptokiVersion) {}

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
      long[] slots =
          (long[]) p11.getClass().getMethod("C_GetSlotList", boolean.class).invoke(p11, true);
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
    return new TokenFacts(
        slot,
        chars(c, ti, "label"),
        chars(c, ti, "manufacturerID"),
        chars(c, ti, "model"),
        chars(c, ti, "serialNumber"),
        version(c.getField("hardwareVersion").get(ti)),
        version(c.getField("firmwareVersion").get(ti)),
        c.getField("flags").getLong(ti));
  }

  /** Facts about the library itself. */
  static LibraryFacts library(Path library) throws HsmException {
    try {
      Object p11 = pkcs11(library);
      Object info = p11.getClass().getMethod("C_GetInfo").invoke(p11);
      Class<?> c = info.getClass();
      return new LibraryFacts(
          chars(c, info, "manufacturerID"),
          chars(c, info, "libraryDescription"),
          version(c.getField("libraryVersion").get(info)),
          version(c.getField("cryptokiVersion").get(info)));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw failure("cannot read PKCS#11 library info", e);
    }
  }

  /**
   * The slot id whose token label is {@code label}; CONFIG error naming the labels present
   * otherwise.
   */
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
      throw new HsmFatalException(
          Kind.CONFIG,
          source
              + ": key 'token_label': no token labelled '"
              + label
              + "' in "
              + library
              + "; tokens present: "
              + seen.values());
    }
    if (matches.size() > 1) {
      throw new HsmFatalException(
          Kind.CONFIG,
          source
              + ": key 'token_label': "
              + matches.size()
              + " tokens are labelled '"
              + label
              + "' (slots "
              + matches
              + "); relabel one or configure slot instead");
    }
    return matches.get(0);
  }

  /** PKCS#11 attribute types read for key provenance, in report order. */
  static final Map<String, Long> PROVENANCE_ATTRIBUTES = provenanceAttributes();

  private static final long CKA_CLASS = 0x0L;
  private static final long CKA_LABEL = 0x3L;
  private static final long CKA_ID = 0x102L;
  private static final long CKF_SERIAL_SESSION = 0x4L;

  private static Map<String, Long> provenanceAttributes() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("CKA_LOCAL", 0x163L);
    m.put("CKA_NEVER_EXTRACTABLE", 0x164L);
    m.put("CKA_ALWAYS_SENSITIVE", 0x165L);
    m.put("CKA_EXTRACTABLE", 0x162L);
    m.put("CKA_SENSITIVE", 0x103L);
    m.put("CKA_TOKEN", 0x1L);
    m.put("CKA_PRIVATE", 0x2L);
    m.put("CKA_MODIFIABLE", 0x170L);
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The raw boolean attributes of one key object, as the token answered them. */
  record KeyObjectFacts(long handle, String matchedBy, Map<String, Boolean> attributes) {}

  /**
   * Finds the token object of class {@code objectClass} ({@code CKO_PRIVATE_KEY = 3}, {@code
   * CKO_SECRET_KEY = 4}) whose {@code CKA_LABEL} (or, failing that, {@code CKA_ID}) is {@code
   * label} and reads its provenance attributes with {@code C_GetAttributeValue}, in a session of
   * its own on the library's shared wrapper instance (the application is already logged in through
   * SunPKCS11, so private objects are visible). Exactly one match is required.
   */
  static KeyObjectFacts keyObject(Path library, long slotId, long objectClass, String label)
      throws HsmException {
    Object p11;
    long session;
    try {
      p11 = pkcs11(library);
      session =
          (long)
              p11.getClass()
                  .getMethod(
                      "C_OpenSession",
                      long.class,
                      long.class,
                      Object.class,
                      Class.forName(PKG + ".CK_NOTIFY"))
                  .invoke(p11, slotId, CKF_SERIAL_SESSION, null, null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw failure(
          "cannot open a PKCS#11 session on slot " + slotId + " to read key attributes", e);
    }
    try {
      String matchedBy = "CKA_LABEL";
      long[] found = find(p11, session, objectClass, CKA_LABEL, label.toCharArray());
      if (found.length == 0) {
        matchedBy = "CKA_ID";
        found =
            find(
                p11,
                session,
                objectClass,
                CKA_ID,
                label.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      if (found.length != 1) {
        throw new HsmFatalException(
            found.length == 0 ? Kind.KEY_NOT_FOUND : Kind.DEVICE_ERROR,
            (found.length == 0 ? "no" : found.length + "")
                + " token key objects of class "
                + objectClass
                + " labelled '"
                + label
                + "' (need exactly one to read its attributes)");
      }
      Map<String, Boolean> attrs = new LinkedHashMap<>();
      Class<?> ca = Class.forName(PKG + ".CK_ATTRIBUTE");
      Method get =
          p11.getClass()
              .getMethod(
                  "C_GetAttributeValue",
                  long.class,
                  long.class,
                  java.lang.reflect.Array.newInstance(ca, 0).getClass());
      for (Map.Entry<String, Long> a : PROVENANCE_ATTRIBUTES.entrySet()) {
        Object arr = java.lang.reflect.Array.newInstance(ca, 1);
        Object attr = ca.getConstructor(long.class).newInstance(a.getValue());
        java.lang.reflect.Array.set(arr, 0, attr);
        try {
          get.invoke(p11, session, found[0], arr);
          // The native call puts new CK_ATTRIBUTE objects into the array: read them from there.
          attrs.put(
              a.getKey(),
              (Boolean) ca.getMethod("getBoolean").invoke(java.lang.reflect.Array.get(arr, 0)));
        } catch (InvocationTargetException e) {
          // The token does not have this attribute for this object (CKR_ATTRIBUTE_TYPE_INVALID):
          // left out.
        }
      }
      return new KeyObjectFacts(found[0], matchedBy, attrs);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw failure("cannot read the attributes of key '" + label + "'", e);
    } finally {
      try {
        p11.getClass().getMethod("C_CloseSession", long.class).invoke(p11, session);
      } catch (ReflectiveOperationException | RuntimeException ignored) {
        // the session goes with the library's finalisation
      }
    }
  }

  private static long[] find(Object p11, long session, long objectClass, long type, Object value)
      throws ReflectiveOperationException {
    Class<?> ca = Class.forName(PKG + ".CK_ATTRIBUTE");
    Object tmpl = java.lang.reflect.Array.newInstance(ca, 2);
    java.lang.reflect.Array.set(
        tmpl, 0, ca.getConstructor(long.class, long.class).newInstance(CKA_CLASS, objectClass));
    java.lang.reflect.Array.set(
        tmpl, 1, ca.getConstructor(long.class, Object.class).newInstance(type, value));
    Class<?> w = p11.getClass();
    w.getMethod("C_FindObjectsInit", long.class, tmpl.getClass()).invoke(p11, session, tmpl);
    try {
      return (long[]) w.getMethod("C_FindObjects", long.class, long.class).invoke(p11, session, 8L);
    } finally {
      w.getMethod("C_FindObjectsFinal", long.class).invoke(p11, session);
    }
  }

  private static String chars(Class<?> c, Object o, String field)
      throws ReflectiveOperationException {
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
    Throwable cause =
        e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
    return CkrErrors.map(what, cause, Kind.DEVICE_ERROR);
  }
}
