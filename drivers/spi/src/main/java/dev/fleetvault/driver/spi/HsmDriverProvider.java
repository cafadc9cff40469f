package dev.fleetvault.driver.spi;

import java.util.Map;
import java.util.Set;

/**
 * The entry point of a driver jar, found by {@link java.util.ServiceLoader} (a {@code
 * META-INF/services/dev.fleetvault.driver.spi.HsmDriverProvider} line naming the class, and {@code
 * provides ... with ...} under JPMS). Small and standalone like a JDBC {@code Driver}.
 *
 * <p>Guarantees: the provider has a public no-argument constructor, does no I/O until {@link
 * #open}, and is thread-safe. {@link Drivers} loads a provider only when its class is named in the
 * configured allow-list and its {@link #spiVersion()} is supported.
 */
public interface HsmDriverProvider {

  /** The SPI version this package defines. Providers return it from {@link #spiVersion()}. */
  int CURRENT_SPI_VERSION = 1;

  /**
   * The id that configuration selects this driver by ({@code soft}, {@code pkcs11}, {@code kmip},
   * ...). Lower case, stable.
   */
  String id();

  /** The SPI version the provider was written for; normally {@link #CURRENT_SPI_VERSION}. */
  int spiVersion();

  /**
   * The typed configuration class this provider parses its {@link DriverSettings} into
   * (documentation and tooling).
   */
  Class<?> configType();

  /**
   * Each setting key this provider accepts, with a one-line description (credentials as {@code
   * <key>_file}/{@code <key>_env}).
   */
  Map<String, String> describeSettings();

  /**
   * The capabilities this driver can offer at most, for listings ({@code fleetvault drivers}); the
   * device may offer fewer, and only {@link HsmDriver#capabilities()} of an open driver is
   * authoritative. Empty when the driver cannot say before it is opened. Does no I/O.
   */
  default Set<Capability> declaredCapabilities() {
    return Set.of();
  }

  /**
   * Opens the device described by {@code settings}. Unknown keys, duplicates and contradictions
   * throw {@link HsmFatalException} of kind {@link HsmException.Kind#CONFIG} naming the key; a
   * wrong PIN throws kind {@link HsmException.Kind#AUTHENTICATION} with the vendor's code.
   */
  HsmDriver open(DriverSettings settings) throws HsmException;
}
