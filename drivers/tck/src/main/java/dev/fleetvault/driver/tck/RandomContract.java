package dev.fleetvault.driver.tck;

import static dev.fleetvault.driver.tck.ContractSupport.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.HsmException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Contract part: {@link Capability#RANDOM} (0..1024 fresh bytes; other lengths INVALID_INPUT). */
public interface RandomContract extends DriverUnderTest {

  @TestFactory
  default Stream<DynamicTest> random_validLengths_returnsFreshBytes() {
    return dependingOn(
        Capability.RANDOM,
        "0..1024 fresh bytes, other lengths INVALID_INPUT",
        () -> {
          assertThat(driver().random(0)).isEmpty();
          byte[] a = driver().random(32);
          byte[] b = driver().random(32);
          assertThat(a).hasSize(32).isNotEqualTo(b);
          assertThat(driver().random(1024)).hasSize(1024);
          assertKind(HsmException.Kind.INVALID_INPUT, () -> driver().random(-1));
          assertKind(HsmException.Kind.INVALID_INPUT, () -> driver().random(1025));
        },
        () -> {
          for (int n : new int[] {0, 32, 1024}) {
            assertRefused(Capability.RANDOM, "random(" + n + ")", () -> driver().random(n));
          }
        });
  }
}
