package dev.fleetvault.driver.pkcs11.impl;

import dev.fleetvault.driver.spi.HsmException.Kind;
import dev.fleetvault.driver.spi.HsmFatalException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the SunPKCS11 configuration (passed inline to {@code Provider.configure("--...")}).
 * Templates: keys are generated as session objects, sensitive and non-extractable, then copied to
 * the token under their label; an ECDH-derived generic secret must be readable (SoftHSM2 otherwise
 * fails with CKR_ATTRIBUTE_SENSITIVE); imported test keys may derive and sign.
 */
final class SunPkcs11ConfigText {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private SunPkcs11ConfigText() {}

  /** The slot line: {@code slot = id} or {@code slotListIndex = i}. */
  static String build(Path library, String slotLine, boolean allowImport) throws HsmFatalException {
    String lib = library.toString();
    for (int i = 0; i < lib.length(); i++) {
      char c = lib.charAt(i);
      if (Character.isWhitespace(c)
          || Character.isISOControl(c)
          || c == '"'
          || c == '{'
          || c == '}') {
        throw new HsmFatalException(
            Kind.CONFIG,
            "key 'library': the path must not contain whitespace, quotes, braces"
                + " or control characters (SunPKCS11 configuration syntax)");
      }
    }
    StringBuilder sb = new StringBuilder("--");
    sb.append("name = Fleetvault").append(COUNTER.incrementAndGet()).append('\n');
    sb.append("library = ").append(lib).append('\n');
    sb.append(slotLine).append('\n');
    sb.append("destroyTokenAfterLogout = true\n");
    sb.append(
        "attributes(generate, CKO_SECRET_KEY, CKK_AES) = {\n  CKA_TOKEN = false\n  CKA_SENSITIVE = true\n"
            + "  CKA_EXTRACTABLE = false\n  CKA_ENCRYPT = true\n  CKA_DECRYPT = true\n}\n");
    sb.append(
        "attributes(generate, CKO_PRIVATE_KEY, CKK_EC) = {\n  CKA_TOKEN = false\n  CKA_SENSITIVE = true\n"
            + "  CKA_EXTRACTABLE = false\n  CKA_SIGN = true\n  CKA_DERIVE = true\n}\n");
    sb.append(
        "attributes(generate, CKO_PRIVATE_KEY, CKK_RSA) = {\n  CKA_TOKEN = false\n  CKA_SENSITIVE = true\n"
            + "  CKA_EXTRACTABLE = false\n  CKA_SIGN = true\n}\n");
    sb.append(
        "attributes(generate, CKO_SECRET_KEY, CKK_GENERIC_SECRET) = {\n  CKA_SENSITIVE = false\n"
            + "  CKA_EXTRACTABLE = true\n}\n");
    if (allowImport) {
      sb.append(
          "attributes(import, CKO_PRIVATE_KEY, CKK_EC) = {\n  CKA_TOKEN = false\n  CKA_DERIVE = true\n"
              + "  CKA_SIGN = true\n}\n");
    }
    return sb.toString();
  }
}
