package dev.fleetvault.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The skip/fail rule for missing vector files. */
class VectorsTest {

  @Test
  void require_missingFile_skipsLocallyFailsUnderCi() {
    boolean strict =
        "true".equalsIgnoreCase(System.getenv("CI"))
            || "1".equals(System.getenv("FLEETVAULT_REQUIRE_VECTORS"));
    Throwable t = catchThrowable(() -> Vectors.require("no-such-folder/none.json"));
    assertThat(t).isInstanceOf(strict ? AssertionFailedError.class : TestAbortedException.class);
    assertThat(t).hasMessageContaining("TEST VECTORS MISSING").hasMessageContaining("none.json");
  }

  @Test
  void require_presentFile_returnsPath() {
    assertThat(Vectors.require("README.md")).isRegularFile();
  }
}
