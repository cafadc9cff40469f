package dev.fleetvault.driver.kmip.ttlv;

/**
 * The KMIP 1.4 enumerations this driver sends or reads (specification section 9.1.3.2), each
 * constant with its wire code. Values a server returns that are not listed here are kept as raw
 * codes by the callers.
 */
public final class KmipEnums {
  private KmipEnums() {}

  /** Operation (9.1.3.2.27). */
  public enum Operation implements KmipEnum {
    CREATE(0x01),
    CREATE_KEY_PAIR(0x02),
    REGISTER(0x03),
    REKEY(0x04),
    DERIVE_KEY(0x05),
    LOCATE(0x08),
    CHECK(0x09),
    GET(0x0A),
    GET_ATTRIBUTES(0x0B),
    GET_ATTRIBUTE_LIST(0x0C),
    ADD_ATTRIBUTE(0x0D),
    MODIFY_ATTRIBUTE(0x0E),
    DELETE_ATTRIBUTE(0x0F),
    ACTIVATE(0x12),
    REVOKE(0x13),
    DESTROY(0x14),
    ARCHIVE(0x15),
    RECOVER(0x16),
    QUERY(0x18),
    CANCEL(0x19),
    POLL(0x1A),
    REKEY_KEY_PAIR(0x1D),
    DISCOVER_VERSIONS(0x1E),
    ENCRYPT(0x1F),
    DECRYPT(0x20),
    SIGN(0x21),
    SIGNATURE_VERIFY(0x22),
    MAC(0x23),
    MAC_VERIFY(0x24),
    RNG_RETRIEVE(0x25),
    RNG_SEED(0x26),
    HASH(0x27),
    IMPORT(0x2A),
    EXPORT(0x2B);

    private final int code;

    Operation(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Result Status (9.1.3.2.29). */
  public enum ResultStatus implements KmipEnum {
    SUCCESS(0),
    OPERATION_FAILED(1),
    OPERATION_PENDING(2),
    OPERATION_UNDONE(3);

    private final int code;

    ResultStatus(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Result Reason (9.1.3.2.30). */
  public enum ResultReason implements KmipEnum {
    ITEM_NOT_FOUND(0x01),
    RESPONSE_TOO_LARGE(0x02),
    AUTHENTICATION_NOT_SUCCESSFUL(0x03),
    INVALID_MESSAGE(0x04),
    OPERATION_NOT_SUPPORTED(0x05),
    MISSING_DATA(0x06),
    INVALID_FIELD(0x07),
    FEATURE_NOT_SUPPORTED(0x08),
    OPERATION_CANCELED_BY_REQUESTER(0x09),
    CRYPTOGRAPHIC_FAILURE(0x0A),
    ILLEGAL_OPERATION(0x0B),
    PERMISSION_DENIED(0x0C),
    OBJECT_ARCHIVED(0x0D),
    INDEX_OUT_OF_BOUNDS(0x0E),
    APPLICATION_NAMESPACE_NOT_SUPPORTED(0x0F),
    KEY_FORMAT_TYPE_NOT_SUPPORTED(0x10),
    KEY_COMPRESSION_TYPE_NOT_SUPPORTED(0x11),
    ENCODING_OPTION_ERROR(0x12),
    KEY_VALUE_NOT_PRESENT(0x13),
    ATTESTATION_REQUIRED(0x14),
    ATTESTATION_FAILED(0x15),
    SENSITIVE(0x16),
    NOT_EXTRACTABLE(0x17),
    OBJECT_ALREADY_EXISTS(0x18),
    GENERAL_FAILURE(0x100);

    private final int code;

    ResultReason(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Object Type (9.1.3.2.12). */
  public enum ObjectType implements KmipEnum {
    CERTIFICATE(1),
    SYMMETRIC_KEY(2),
    PUBLIC_KEY(3),
    PRIVATE_KEY(4),
    SPLIT_KEY(5),
    TEMPLATE(6),
    SECRET_DATA(7),
    OPAQUE_DATA(8),
    PGP_KEY(9);

    private final int code;

    ObjectType(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Cryptographic Algorithm (9.1.3.2.13), the values this driver uses. */
  public enum CryptographicAlgorithm implements KmipEnum {
    AES(0x03),
    RSA(0x04),
    ECDSA(0x06),
    HMAC_SHA1(0x07),
    HMAC_SHA256(0x09),
    HMAC_SHA384(0x0A),
    HMAC_SHA512(0x0B),
    ECDH(0x0E),
    EC(0x1A),
    CHACHA20_POLY1305(0x1E),
    ED25519(0x37);

    private final int code;

    CryptographicAlgorithm(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Block Cipher Mode (9.1.3.2.14). */
  public enum BlockCipherMode implements KmipEnum {
    CBC(0x01),
    ECB(0x02),
    CTR(0x06),
    CMAC(0x07),
    CCM(0x08),
    GCM(0x09),
    NIST_KEY_WRAP(0x0D),
    AEAD(0x12);

    private final int code;

    BlockCipherMode(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Padding Method (9.1.3.2.15). */
  public enum PaddingMethod implements KmipEnum {
    NONE(0x01),
    OAEP(0x02),
    PKCS5(0x03),
    PKCS1_V1_5(0x08),
    X931(0x09),
    PSS(0x0A);

    private final int code;

    PaddingMethod(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Hashing Algorithm (9.1.3.2.16). */
  public enum HashingAlgorithm implements KmipEnum {
    SHA_1(0x04),
    SHA_224(0x05),
    SHA_256(0x06),
    SHA_384(0x07),
    SHA_512(0x08);

    private final int code;

    HashingAlgorithm(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Digital Signature Algorithm (9.1.3.2.7). */
  public enum DigitalSignatureAlgorithm implements KmipEnum {
    SHA256_WITH_RSA_ENCRYPTION(0x05),
    RSASSA_PSS(0x08),
    ECDSA_WITH_SHA256(0x0E);

    private final int code;

    DigitalSignatureAlgorithm(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Query Function (9.1.3.2.24). */
  public enum QueryFunction implements KmipEnum {
    QUERY_OPERATIONS(1),
    QUERY_OBJECTS(2),
    QUERY_SERVER_INFORMATION(3),
    QUERY_APPLICATION_NAMESPACES(4),
    QUERY_EXTENSION_LIST(5),
    QUERY_EXTENSION_MAP(6),
    QUERY_ATTESTATION_TYPES(7),
    QUERY_RNGS(8),
    QUERY_VALIDATIONS(9),
    QUERY_PROFILES(0x0A),
    QUERY_CAPABILITIES(0x0B),
    QUERY_CLIENT_REGISTRATION_METHODS(0x0C);

    private final int code;

    QueryFunction(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Name Type (9.1.3.2.11). */
  public enum NameType implements KmipEnum {
    UNINTERPRETED_TEXT_STRING(1),
    URI(2);

    private final int code;

    NameType(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Key Format Type (9.1.3.2.3). */
  public enum KeyFormatType implements KmipEnum {
    RAW(0x01),
    OPAQUE(0x02),
    PKCS_1(0x03),
    PKCS_8(0x04),
    X_509(0x05),
    EC_PRIVATE_KEY(0x06),
    TRANSPARENT_SYMMETRIC_KEY(0x07),
    TRANSPARENT_RSA_PUBLIC_KEY(0x0B),
    TRANSPARENT_EC_PUBLIC_KEY(0x15);

    private final int code;

    KeyFormatType(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Revocation Reason Code (9.1.3.2.19). */
  public enum RevocationReasonCode implements KmipEnum {
    UNSPECIFIED(1),
    KEY_COMPROMISE(2),
    CA_COMPROMISE(3),
    AFFILIATION_CHANGED(4),
    SUPERSEDED(5),
    CESSATION_OF_OPERATION(6),
    PRIVILEGE_WITHDRAWN(7);

    private final int code;

    RevocationReasonCode(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** State (9.1.3.2.17). */
  public enum State implements KmipEnum {
    PRE_ACTIVE(1),
    ACTIVE(2),
    DEACTIVATED(3),
    COMPROMISED(4),
    DESTROYED(5),
    DESTROYED_COMPROMISED(6);

    private final int code;

    State(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Validity Indicator (9.1.3.2.23). */
  public enum ValidityIndicator implements KmipEnum {
    VALID(1),
    INVALID(2),
    UNKNOWN(3);

    private final int code;

    ValidityIndicator(int code) {
      this.code = code;
    }

    @Override
    public int code() {
      return code;
    }
  }

  /** Cryptographic Usage Mask bits (9.1.3.3.1). */
  public static final class UsageMask {
    private UsageMask() {}

    public static final int SIGN = 0x01;
    public static final int VERIFY = 0x02;
    public static final int ENCRYPT = 0x04;
    public static final int DECRYPT = 0x08;
    public static final int WRAP_KEY = 0x10;
    public static final int UNWRAP_KEY = 0x20;
    public static final int MAC_GENERATE = 0x80;
    public static final int MAC_VERIFY = 0x100;
    public static final int DERIVE_KEY = 0x200;
    public static final int KEY_AGREEMENT = 0x800;
  }
}
