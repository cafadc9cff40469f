package dev.fleetvault.driver.kmip.client;

import dev.fleetvault.driver.kmip.ttlv.KmipEnums.BlockCipherMode;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.CryptographicAlgorithm;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.DigitalSignatureAlgorithm;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.HashingAlgorithm;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.PaddingMethod;
import dev.fleetvault.driver.kmip.ttlv.Tag;
import dev.fleetvault.driver.kmip.ttlv.Ttlv;

/**
 * The KMIP Cryptographic Parameters structure, with the fields this client uses; {@code null} (or
 * -1 for lengths) leaves a field out.
 *
 * @param mode Block Cipher Mode
 * @param padding Padding Method
 * @param hashing Hashing Algorithm
 * @param signature Digital Signature Algorithm
 * @param algorithm Cryptographic Algorithm
 * @param tagLength Tag Length in bytes (AEAD), or -1
 * @param saltLength Salt Length in bytes (KMIP 1.4, PSS), or -1; PyKMIP 0.10 cannot parse it
 */
public record CryptographicParameters(
    BlockCipherMode mode,
    PaddingMethod padding,
    HashingAlgorithm hashing,
    DigitalSignatureAlgorithm signature,
    CryptographicAlgorithm algorithm,
    int tagLength,
    int saltLength) {

  /** AES-GCM with a tag of {@code tagLength} bytes. */
  public static CryptographicParameters aesGcm(int tagLength) {
    return new CryptographicParameters(
        BlockCipherMode.GCM, null, null, null, CryptographicAlgorithm.AES, tagLength, -1);
  }

  /**
   * RSASSA-PSS with SHA-256 and MGF1-SHA-256; {@code saltLength} -1 leaves the salt to the server.
   */
  public static CryptographicParameters rsaPssSha256(int saltLength) {
    return new CryptographicParameters(
        null,
        PaddingMethod.PSS,
        HashingAlgorithm.SHA_256,
        null,
        CryptographicAlgorithm.RSA,
        -1,
        saltLength);
  }

  /** An HMAC with the given algorithm (HMAC_SHA256 ...). */
  public static CryptographicParameters hmac(CryptographicAlgorithm alg) {
    return new CryptographicParameters(null, null, null, null, alg, -1, -1);
  }

  /** Encodes in the field order of the KMIP 1.4 specification. */
  public Ttlv toTtlv() {
    return Ttlv.structure(
        Tag.CRYPTOGRAPHIC_PARAMETERS,
        mode == null ? null : Ttlv.enumeration(Tag.BLOCK_CIPHER_MODE, mode.code()),
        padding == null ? null : Ttlv.enumeration(Tag.PADDING_METHOD, padding.code()),
        hashing == null ? null : Ttlv.enumeration(Tag.HASHING_ALGORITHM, hashing.code()),
        signature == null
            ? null
            : Ttlv.enumeration(Tag.DIGITAL_SIGNATURE_ALGORITHM, signature.code()),
        algorithm == null ? null : Ttlv.enumeration(Tag.CRYPTOGRAPHIC_ALGORITHM, algorithm.code()),
        tagLength < 0 ? null : Ttlv.integer(Tag.TAG_LENGTH, tagLength),
        saltLength < 0 ? null : Ttlv.integer(Tag.SALT_LENGTH, saltLength));
  }
}
