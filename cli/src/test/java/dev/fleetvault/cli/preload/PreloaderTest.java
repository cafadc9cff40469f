package dev.fleetvault.cli.preload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PreloaderTest {
  @Test
  void distinct_anyCountUpToBound_distinctValuesInRange() {
    for (int count : new int[] {0, 1, 7, 50, 100}) {
      long[] v = Preloader.distinct(100, count, new SplittableRandom(count));
      assertThat(v).hasSize(count);
      assertThat(Arrays.stream(v).distinct().count()).isEqualTo(count);
      assertThat(Arrays.stream(v).allMatch(x -> x >= 0 && x < 100)).isTrue();
    }
  }
}
