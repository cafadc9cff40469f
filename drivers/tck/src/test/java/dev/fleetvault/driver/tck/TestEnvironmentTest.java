package dev.fleetvault.driver.tck;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing HSM or vector file skips on a laptop and fails in CI. */
class TestEnvironmentTest {

  @Test
  void requireOrSkip_missingOnLaptop_skips() {
    assertThatThrownBy(
            () ->
                TestEnvironment.requireOrSkip(
                    false, "SoftHSM2", TestEnvironment.REQUIRE_HSM, Map.of()))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("MISSING SoftHSM2");
  }

  @Test
  void requireOrSkip_missingUnderCiOrRequireVar_fails() {
    assertThatThrownBy(
            () ->
                TestEnvironment.requireOrSkip(
                    false, "SoftHSM2", TestEnvironment.REQUIRE_HSM, Map.of("CI", "true")))
        .isInstanceOf(AssertionFailedError.class);
    assertThatThrownBy(
            () ->
                TestEnvironment.requireOrSkip(
                    false,
                    "SoftHSM2",
                    TestEnvironment.REQUIRE_HSM,
                    Map.of(TestEnvironment.REQUIRE_HSM, "1")))
        .isInstanceOf(AssertionFailedError.class);
  }

  @Test
  void requireOrSkip_present_continues() {
    assertThatCode(
            () ->
                TestEnvironment.requireOrSkip(
                    true, "SoftHSM2", TestEnvironment.REQUIRE_HSM, Map.of("CI", "true")))
        .doesNotThrowAnyException();
  }
}
