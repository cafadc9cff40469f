package dev.fleetvault.bundles;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzz target: the parsers of what an edge hands a client or auditor: {@link Bundle#parse}, {@link
 * BundleEnvelope#parse} and {@link FleetArtifact#parse}.
 *
 * <p>Input: byte 0 picks the parser (modulo 3), the rest is the document. Property: each returns a
 * value or throws {@link FormatException} (the module's documented exception), nothing else; a
 * parsed value re-encodes to a document that parses to the same value (for the artifact, which must
 * be canonical, to exactly the input).
 */
class BundleFormatsFuzzTest {
  @FuzzTest
  void parse_bundleEnvelopeOrArtifact(byte[] data) {
    if (data.length == 0) {
      return;
    }
    byte[] doc = Arrays.copyOfRange(data, 1, data.length);
    try {
      switch (Byte.toUnsignedInt(data[0]) % 3) {
        case 0 -> {
          Bundle b = Bundle.parse(doc);
          assertThat(Bundle.parse(b.toJson())).isEqualTo(b);
        }
        case 1 -> {
          BundleEnvelope e = BundleEnvelope.parse(doc);
          assertThat(BundleEnvelope.parse(e.toJson()).toJson()).isEqualTo(e.toJson());
        }
        default -> {
          FleetArtifact a = FleetArtifact.parse(doc);
          assertThat(a.toCanonicalJson()).isEqualTo(doc);
        }
      }
    } catch (FormatException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
