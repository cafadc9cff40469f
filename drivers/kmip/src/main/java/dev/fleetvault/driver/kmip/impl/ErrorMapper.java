package dev.fleetvault.driver.kmip.impl;

import dev.fleetvault.driver.kmip.client.KmipException;
import dev.fleetvault.driver.kmip.ttlv.KmipEnum;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ResultReason;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmException.Kind;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.HsmRetryableException;

/**
 * Maps {@link KmipException}s into the SPI's error family in one place.
 *
 * <p>Transport trouble, timeouts and an exhausted pool are retryable (UNAVAILABLE, BUSY); a failed
 * TLS handshake or a refused client is AUTHENTICATION; a server result keeps its Result Reason as
 * the vendor code and name ({@code KMIP_ITEM_NOT_FOUND} ...). A failed Decrypt whose reason is a
 * cryptographic or general failure is INTEGRITY: that is how servers report a GCM tag mismatch.
 */
final class ErrorMapper {
  /** Vendor name for a TLS handshake the server or client refused. */
  static final String TLS_HANDSHAKE_FAILURE = "TLS_HANDSHAKE_FAILURE";

  private ErrorMapper() {}

  static HsmException map(KmipException e, boolean decrypt) {
    String msg = e.getMessage();
    switch (e.kind()) {
      case BUSY:
        return new HsmRetryableException(Kind.BUSY, msg, e);
      case TRANSPORT:
      case TIMEOUT:
        return new HsmRetryableException(Kind.UNAVAILABLE, msg, e);
      case TLS:
        return new HsmFatalException(Kind.AUTHENTICATION, msg, null, TLS_HANDSHAKE_FAILURE, e);
      case CLOSED:
        return new HsmFatalException(Kind.CLOSED, msg, e);
      case PROTOCOL:
        return new HsmFatalException(Kind.DEVICE_ERROR, msg, e);
      default:
        break;
    }
    int code = e.resultReason();
    Long vendorCode = code < 0 ? null : (long) code;
    String vendorName =
        code < 0 ? "KMIP_NO_REASON" : "KMIP_" + KmipEnum.nameOf(ResultReason.class, code);
    ResultReason r = e.reason();
    Kind kind;
    if (r == null) {
      kind = Kind.DEVICE_ERROR;
    } else {
      switch (r) {
        case ITEM_NOT_FOUND:
          kind = Kind.KEY_NOT_FOUND;
          break;
        case AUTHENTICATION_NOT_SUCCESSFUL:
          kind = Kind.AUTHENTICATION;
          break;
        case OPERATION_NOT_SUPPORTED:
        case FEATURE_NOT_SUPPORTED:
        case KEY_FORMAT_TYPE_NOT_SUPPORTED:
          kind = Kind.UNSUPPORTED;
          break;
        case OBJECT_ALREADY_EXISTS:
          kind = Kind.KEY_EXISTS;
          break;
        case RESPONSE_TOO_LARGE:
          kind = Kind.INVALID_INPUT;
          break;
        case CRYPTOGRAPHIC_FAILURE:
        case GENERAL_FAILURE:
          kind = decrypt ? Kind.INTEGRITY : Kind.DEVICE_ERROR;
          break;
        default:
          kind = Kind.DEVICE_ERROR;
      }
    }
    if (kind == Kind.INTEGRITY) {
      msg =
          "sealed data failed authentication (tampered, wrong key or wrong associated data): "
              + msg;
    }
    return new HsmFatalException(kind, msg, vendorCode, vendorName, e);
  }
}
