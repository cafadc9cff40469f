package dev.fleetvault.driver.kmip.ttlv;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The KMIP tags this driver uses (KMIP 1.4 specification, section 9.1.3.1), with their names for
 * error messages and dumps. Tags not listed here still decode; they print as hex.
 */
public final class Tag {
  private Tag() {}

  public static final int ACTIVATION_DATE = 0x420001;
  public static final int APPLICATION_NAMESPACE = 0x420003;
  public static final int ATTRIBUTE = 0x420008;
  public static final int ATTRIBUTE_INDEX = 0x420009;
  public static final int ATTRIBUTE_NAME = 0x42000A;
  public static final int ATTRIBUTE_VALUE = 0x42000B;
  public static final int AUTHENTICATION = 0x42000C;
  public static final int BATCH_COUNT = 0x42000D;
  public static final int BATCH_ERROR_CONTINUATION_OPTION = 0x42000E;
  public static final int BATCH_ITEM = 0x42000F;
  public static final int BATCH_ORDER_OPTION = 0x420010;
  public static final int BLOCK_CIPHER_MODE = 0x420011;
  public static final int COMMON_TEMPLATE_ATTRIBUTE = 0x42001F;
  public static final int CREDENTIAL = 0x420023;
  public static final int CREDENTIAL_TYPE = 0x420024;
  public static final int CREDENTIAL_VALUE = 0x420025;
  public static final int CRYPTOGRAPHIC_ALGORITHM = 0x420028;
  public static final int CRYPTOGRAPHIC_LENGTH = 0x42002A;
  public static final int CRYPTOGRAPHIC_PARAMETERS = 0x42002B;
  public static final int CRYPTOGRAPHIC_USAGE_MASK = 0x42002C;
  public static final int HASHING_ALGORITHM = 0x420038;
  public static final int INITIAL_DATE = 0x420039;
  public static final int IV_COUNTER_NONCE = 0x42003D;
  public static final int KEY_BLOCK = 0x420040;
  public static final int KEY_COMPRESSION_TYPE = 0x420041;
  public static final int KEY_FORMAT_TYPE = 0x420042;
  public static final int KEY_MATERIAL = 0x420043;
  public static final int KEY_VALUE = 0x420045;
  public static final int KEY_WRAPPING_DATA = 0x420046;
  public static final int LINK = 0x42004A;
  public static final int LINK_TYPE = 0x42004B;
  public static final int LINKED_OBJECT_IDENTIFIER = 0x42004C;
  public static final int MAXIMUM_ITEMS = 0x42004F;
  public static final int MAXIMUM_RESPONSE_SIZE = 0x420050;
  public static final int NAME = 0x420053;
  public static final int NAME_TYPE = 0x420054;
  public static final int NAME_VALUE = 0x420055;
  public static final int OBJECT_GROUP = 0x420056;
  public static final int OBJECT_TYPE = 0x420057;
  public static final int OPERATION = 0x42005C;
  public static final int PADDING_METHOD = 0x42005F;
  public static final int PRIVATE_KEY = 0x420064;
  public static final int PRIVATE_KEY_TEMPLATE_ATTRIBUTE = 0x420065;
  public static final int PRIVATE_KEY_UNIQUE_IDENTIFIER = 0x420066;
  public static final int PROTOCOL_VERSION = 0x420069;
  public static final int PROTOCOL_VERSION_MAJOR = 0x42006A;
  public static final int PROTOCOL_VERSION_MINOR = 0x42006B;
  public static final int PUBLIC_KEY = 0x42006D;
  public static final int PUBLIC_KEY_TEMPLATE_ATTRIBUTE = 0x42006E;
  public static final int PUBLIC_KEY_UNIQUE_IDENTIFIER = 0x42006F;
  public static final int QUERY_FUNCTION = 0x420074;
  public static final int REQUEST_HEADER = 0x420077;
  public static final int REQUEST_MESSAGE = 0x420078;
  public static final int REQUEST_PAYLOAD = 0x420079;
  public static final int RESPONSE_HEADER = 0x42007A;
  public static final int RESPONSE_MESSAGE = 0x42007B;
  public static final int RESPONSE_PAYLOAD = 0x42007C;
  public static final int RESULT_MESSAGE = 0x42007D;
  public static final int RESULT_REASON = 0x42007E;
  public static final int RESULT_STATUS = 0x42007F;
  public static final int REVOCATION_MESSAGE = 0x420080;
  public static final int REVOCATION_REASON = 0x420081;
  public static final int REVOCATION_REASON_CODE = 0x420082;
  public static final int KEY_ROLE_TYPE = 0x420083;
  public static final int SERVER_INFORMATION = 0x420088;
  public static final int STATE = 0x42008D;
  public static final int SYMMETRIC_KEY = 0x42008F;
  public static final int TEMPLATE_ATTRIBUTE = 0x420091;
  public static final int TIME_STAMP = 0x420092;
  public static final int UNIQUE_BATCH_ITEM_ID = 0x420093;
  public static final int UNIQUE_IDENTIFIER = 0x420094;
  public static final int USERNAME = 0x420099;
  public static final int VALIDITY_INDICATOR = 0x42009B;
  public static final int VENDOR_IDENTIFICATION = 0x42009D;
  public static final int PASSWORD = 0x4200A1;
  public static final int EXTENSION_INFORMATION = 0x4200A4;
  public static final int DIGITAL_SIGNATURE_ALGORITHM = 0x4200AE;
  public static final int DATA = 0x4200C2;
  public static final int DATA_LENGTH = 0x4200C4;
  public static final int SIGNATURE_DATA = 0x4200C3;
  public static final int RANDOM_IV = 0x4200C5;
  public static final int MAC_DATA = 0x4200C6;
  public static final int IV_LENGTH = 0x4200CD;
  public static final int TAG_LENGTH = 0x4200CE;
  public static final int OFFSET_ITEMS = 0x4200D4;
  public static final int LOCATED_ITEMS = 0x4200D5;
  public static final int AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA = 0x4200FE;
  public static final int AUTHENTICATED_ENCRYPTION_TAG = 0x4200FF;
  public static final int SALT_LENGTH = 0x420100;
  public static final int MASK_GENERATOR = 0x420101;
  public static final int MASK_GENERATOR_HASHING_ALGORITHM = 0x420102;
  public static final int SENSITIVE = 0x420120;
  public static final int EXTRACTABLE = 0x420122;

  private static final Map<Integer, String> NAMES = new HashMap<>();

  static {
    for (Field f : Tag.class.getDeclaredFields()) {
      int m = f.getModifiers();
      if (f.getType() == int.class && Modifier.isStatic(m) && Modifier.isPublic(m)) {
        try {
          NAMES.put(f.getInt(null), f.getName());
        } catch (IllegalAccessException e) {
          throw new ExceptionInInitializerError(e);
        }
      }
    }
  }

  /** The constant name of {@code tag} (for example {@code UNIQUE_IDENTIFIER}) or its hex form. */
  public static String name(int tag) {
    String n = NAMES.get(tag);
    return n != null ? n : String.format(Locale.ROOT, "0x%06X", tag);
  }
}
