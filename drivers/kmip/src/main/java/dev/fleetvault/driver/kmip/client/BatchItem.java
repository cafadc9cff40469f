package dev.fleetvault.driver.kmip.client;

import dev.fleetvault.driver.kmip.ttlv.KmipEnums.Operation;
import dev.fleetvault.driver.kmip.ttlv.Ttlv;
import java.util.Objects;

/**
 * One operation of a request batch: the operation and its Request Payload structure.
 *
 * @param operation the operation
 * @param payload the payload (tag {@code REQUEST_PAYLOAD})
 */
public record BatchItem(Operation operation, Ttlv payload) {
  /** Validates the fields. */
  public BatchItem {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(payload, "payload");
  }
}
