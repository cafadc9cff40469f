package dev.fleetvault.driver.tck;

/**
 * The whole contract every {@link dev.fleetvault.driver.spi.HsmDriver} must meet: a driver's test
 * extends this class and implements the hooks of {@link DriverUnderTest} and {@link
 * DriverContractBase#openDriver()}. Runs every part: keys, seal, sign, ECDH, random, lifecycle
 * (credentials, persistence, close) and concurrency.
 */
public abstract class HsmDriverContract extends DriverContractBase
    implements KeyContract,
        SealContract,
        SignContract,
        EcdhContract,
        RandomContract,
        LifecycleContract,
        ConcurrencyContract {}
