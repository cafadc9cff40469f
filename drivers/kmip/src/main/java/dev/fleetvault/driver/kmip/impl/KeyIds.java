package dev.fleetvault.driver.kmip.impl;

import dev.fleetvault.driver.spi.HsmException.Kind;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;

/**
 * The opaque key id inside a {@link KeyHandle} of this driver: {@code kmip:<uid>} for a symmetric
 * key, {@code kmip:<private uid>|<public uid>} for a key pair. Handles of other drivers (or
 * malformed ids) are KEY_NOT_FOUND.
 *
 * @param primary Unique Identifier of the secret or private key
 * @param publicId Unique Identifier of the public key, or {@code null}
 */
record KeyIds(String primary, String publicId) {
  private static final String PREFIX = "kmip:";

  static String encode(String primary, String publicId) throws HsmFatalException {
    if (primary.isEmpty()
        || primary.contains("|")
        || (publicId != null && (publicId.isEmpty() || publicId.contains("|")))) {
      throw new HsmFatalException(
          Kind.DEVICE_ERROR, "KMIP server returned a unique identifier this driver cannot hold");
    }
    return PREFIX + primary + (publicId == null ? "" : "|" + publicId);
  }

  static KeyIds of(KeyHandle h) throws HsmFatalException {
    String id = h.keyId();
    if (!id.startsWith(PREFIX)) {
      throw new HsmFatalException(
          Kind.KEY_NOT_FOUND, "key handle " + h.label() + " does not belong to the kmip driver");
    }
    String rest = id.substring(PREFIX.length());
    int bar = rest.indexOf('|');
    boolean pair = h.spec() != KeySpec.AES_256;
    if (pair != (bar > 0)
        || rest.isEmpty()
        || (bar >= 0 && (bar == rest.length() - 1 || rest.indexOf('|', bar + 1) >= 0))) {
      throw new HsmFatalException(
          Kind.KEY_NOT_FOUND, "key handle " + h.label() + " has a malformed kmip key id");
    }
    return pair
        ? new KeyIds(rest.substring(0, bar), rest.substring(bar + 1))
        : new KeyIds(rest, null);
  }
}
