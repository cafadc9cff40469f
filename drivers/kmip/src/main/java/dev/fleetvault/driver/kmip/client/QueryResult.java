package dev.fleetvault.driver.kmip.client;

import dev.fleetvault.driver.kmip.ttlv.KmipEnums.Operation;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a server said about itself in Query.
 *
 * @param operations operations the server lists (codes it listed but this client does not know are
 *     dropped)
 * @param objectTypes object type codes the server lists
 * @param vendorIdentification Vendor Identification, if given
 * @param serverInformation a text rendering of Server Information, if given (vendor-defined
 *     content)
 */
public record QueryResult(
    Set<Operation> operations,
    List<Integer> objectTypes,
    Optional<String> vendorIdentification,
    Optional<String> serverInformation) {
  /** Copies the collections. */
  public QueryResult {
    operations = Set.copyOf(operations);
    objectTypes = List.copyOf(objectTypes);
  }
}
