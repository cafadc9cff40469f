package dev.fleetvault.driver.tck;

import dev.fleetvault.driver.spi.HsmDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The fixture of the contract suite, without tests: opens one driver for the class (from {@link
 * #openDriver()}), closes it after the class and prints, for each capability the driver lacks, the
 * refusals that were checked. A driver's test extends {@link HsmDriverContract} for the whole
 * suite, or this class plus the parts it wants ({@link KeyContract}, {@link SealContract}, {@link
 * SignContract}, {@link EcdhContract}, {@link RandomContract}, {@link LifecycleContract}, {@link
 * ConcurrencyContract}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DriverContractBase implements DriverUnderTest {

  private ContractState state;

  /**
   * Opens the driver shared by this class's tests (with test key import enabled if the driver has
   * it).
   */
  protected abstract HsmDriver openDriver() throws Exception;

  @Override
  public final ContractState state() {
    if (state == null) {
      throw new IllegalStateException(
          "the shared driver is not open (openDriver failed or the class has not started)");
    }
    return state;
  }

  @BeforeAll
  final void openSharedDriver() throws Exception {
    HsmDriver d = openDriver();
    state = new ContractState(d);
    System.out.println(
        "[contract] driver " + d.describe().driverId() + " capabilities: " + state.capabilities());
  }

  @AfterAll
  final void closeSharedDriver() {
    if (state != null) {
      state.driver().close();
      state.absentSummary().forEach(line -> System.out.println("[contract] " + line));
    }
  }
}
