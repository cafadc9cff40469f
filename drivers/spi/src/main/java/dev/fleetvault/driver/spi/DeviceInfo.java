package dev.fleetvault.driver.spi;

import java.util.Map;
import java.util.Objects;

/**
 * Facts about the device behind a driver, as the device reports them. They go into deployment
 * evidence, so drivers report what the device says and {@code "unknown"} where it says nothing.
 *
 * @param driverId the provider id ({@code soft}, {@code pkcs11}, {@code kmip} ...)
 * @param vendor the device manufacturer (PKCS#11: token {@code manufacturerID})
 * @param model the device model (PKCS#11: token {@code model})
 * @param serial the device serial number (PKCS#11: token {@code serialNumber})
 * @param firmwareVersion device firmware version (PKCS#11: token firmware version)
 * @param libraryVersion version of the client library talking to the device (PKCS#11: module info)
 * @param details further driver-specific facts, never secrets (an unmodifiable copy is kept)
 */
public record DeviceInfo(
    String driverId,
    String vendor,
    String model,
    String serial,
    String firmwareVersion,
    String libraryVersion,
    Map<String, String> details) {

  /** Validates that every field is present and copies {@code details}. */
  public DeviceInfo {
    Objects.requireNonNull(driverId, "driverId");
    Objects.requireNonNull(vendor, "vendor");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(firmwareVersion, "firmwareVersion");
    Objects.requireNonNull(libraryVersion, "libraryVersion");
    details = Map.copyOf(Objects.requireNonNull(details, "details"));
  }
}
