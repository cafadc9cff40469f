package dev.fleetvault.driver.kmip.client;

import dev.fleetvault.driver.kmip.ttlv.KmipEnums.Operation;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ResultStatus;
import dev.fleetvault.driver.kmip.ttlv.Ttlv;

/**
 * The answer to one {@link BatchItem}: success with a payload, or a failure with its reason.
 *
 * @param operation the operation answered
 * @param status the Result Status code
 * @param reason the Result Reason code, or -1
 * @param message the Result Message, or {@code null}
 * @param payload the Response Payload, or {@code null}
 */
public record BatchResult(
    Operation operation, int status, int reason, String message, Ttlv payload) {

  /** Whether the server reported success. */
  public boolean ok() {
    return status == ResultStatus.SUCCESS.code();
  }

  /** The payload of a successful item, or the failure as an exception. */
  public Ttlv payloadOrThrow() throws KmipException {
    if (!ok()) {
      throw new KmipException(operation, reason, message);
    }
    if (payload == null) {
      throw new KmipException(
          KmipException.Kind.PROTOCOL,
          operation,
          operation + " succeeded without a response payload",
          null);
    }
    return payload;
  }
}
