package dev.fleetvault.gateway.hsm;

import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;

/**
 * One blocking use of the HSM driver, run on the HSM worker executor.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface HsmCall<T> {
  /** Runs on a worker thread; may block. */
  T apply(HsmDriver driver) throws HsmException;
}
