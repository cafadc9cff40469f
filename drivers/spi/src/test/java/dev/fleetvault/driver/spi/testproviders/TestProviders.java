package dev.fleetvault.driver.spi.testproviders;

import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmDriverProvider;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmFatalException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Minimal providers for registry tests (they never open a device). */
public final class TestProviders {

  /**
   * How many {@link Banned} instances were ever created (must stay 0: not-allowed providers are
   * never instantiated).
   */
  public static final AtomicInteger BANNED_INSTANCES = new AtomicInteger();

  private TestProviders() {}

  /** Base: id and SPI version given by subclasses; open throws a recognisable CONFIG error. */
  public abstract static class Base implements HsmDriverProvider {
    @Override
    public int spiVersion() {
      return CURRENT_SPI_VERSION;
    }

    @Override
    public Class<?> configType() {
      return Map.class;
    }

    @Override
    public Map<String, String> describeSettings() {
      return Map.of();
    }

    @Override
    public HsmDriver open(DriverSettings settings) throws HsmException {
      throw new HsmFatalException(HsmException.Kind.CONFIG, "opened " + id());
    }
  }

  /** id "alpha". */
  public static final class Alpha extends Base {
    @Override
    public String id() {
      return "alpha";
    }
  }

  /** Also id "alpha": a duplicate. */
  public static final class AlphaTwin extends Base {
    @Override
    public String id() {
      return "alpha";
    }
  }

  /** id "future", written for SPI version 99. */
  public static final class Future extends Base {
    @Override
    public String id() {
      return "future";
    }

    @Override
    public int spiVersion() {
      return 99;
    }
  }

  /** id "banned": never allowed; counts instances. */
  public static final class Banned extends Base {
    /** Counts instantiation. */
    public Banned() {
      BANNED_INSTANCES.incrementAndGet();
    }

    @Override
    public String id() {
      return "banned";
    }
  }

  /** Throws from its constructor. */
  public static final class Broken extends Base {
    /** Always fails. */
    public Broken() {
      throw new IllegalStateException("broken on purpose");
    }

    @Override
    public String id() {
      return "broken";
    }
  }
}
