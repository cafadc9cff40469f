/**
 * The HSM driver SPI: {@code HsmDriverProvider} (found by {@link java.util.ServiceLoader}), {@code
 * HsmDriver}, key handles, capabilities and the driver error family.
 */
package dev.fleetvault.driver.spi;
