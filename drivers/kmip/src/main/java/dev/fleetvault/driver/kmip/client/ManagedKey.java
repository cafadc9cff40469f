package dev.fleetvault.driver.kmip.client;

/**
 * A key returned by Get with raw (Byte String) key material, for public keys.
 *
 * @param objectType Object Type code
 * @param keyFormatType Key Format Type code (for example PKCS_1 or X_509)
 * @param algorithm Cryptographic Algorithm code, or -1
 * @param length Cryptographic Length in bits, or -1
 * @param material the key material bytes
 */
public record ManagedKey(
    int objectType, int keyFormatType, int algorithm, int length, byte[] material) {
  @Override
  public String toString() {
    return "ManagedKey[type="
        + objectType
        + ", format="
        + keyFormatType
        + ", alg="
        + algorithm
        + ", length="
        + length
        + ", material="
        + material.length
        + " bytes]";
  }
}
