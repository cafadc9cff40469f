package dev.fleetvault.bundles.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fleetvault.bundles.FormatException;

/**
 * Fuzz target: {@link CanonicalJson#parse} and {@link CanonicalJson#parseCanonical}, under every
 * bundle, artifact, statement and manifest this module reads.
 *
 * <p>Property: each either returns a value or throws {@link FormatException}; a parsed value
 * encodes to canonical bytes that {@code parseCanonical} accepts and that encode to themselves
 * (round trip); input that {@code parseCanonical} accepts is exactly the encoding of its value.
 */
class CanonicalJsonFuzzTest {
  @FuzzTest
  void parse_anyBytes(byte[] input) {
    Object value;
    try {
      value = CanonicalJson.parse(input);
    } catch (FormatException expected) {
      assertThat(expected.getMessage()).isNotBlank();
      value = null;
    }
    if (value != null) {
      byte[] canonical = CanonicalJson.encode(value);
      assertThat(CanonicalJson.encode(CanonicalJson.parseCanonical(canonical)))
          .isEqualTo(canonical);
    }
    try {
      Object strict = CanonicalJson.parseCanonical(input);
      assertThat(CanonicalJson.encode(strict)).isEqualTo(input);
    } catch (FormatException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
