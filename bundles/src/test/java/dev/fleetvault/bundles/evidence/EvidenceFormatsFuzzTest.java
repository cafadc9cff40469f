package dev.fleetvault.bundles.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fleetvault.bundles.FormatException;
import java.util.Arrays;

/**
 * Fuzz target: the ceremony evidence files an auditor reads from an untrusted directory: {@link
 * EvidenceManifest#parse}, {@link KeyStatement#parseSigned}, {@link Transcript#parse} and {@link
 * WitnessSignature#parseAll}.
 *
 * <p>Input: byte 0 picks the parser (modulo 4), the rest is the file. Property: each returns a
 * value or throws {@link FormatException}; parsed manifests, statements and transcripts re-encode
 * to canonical JSON that parses back to the same encoding.
 */
class EvidenceFormatsFuzzTest {
  @FuzzTest
  void parse_manifestStatementTranscriptOrWitnesses(byte[] data) {
    if (data.length == 0) {
      return;
    }
    byte[] doc = Arrays.copyOfRange(data, 1, data.length);
    try {
      switch (Byte.toUnsignedInt(data[0]) % 4) {
        case 0 -> {
          byte[] again = EvidenceManifest.parse(doc).toCanonicalJson();
          assertThat(EvidenceManifest.parse(again).toCanonicalJson()).isEqualTo(again);
        }
        case 1 -> {
          KeyStatement.Signed s = KeyStatement.parseSigned(doc);
          byte[] again = s.statement().toSignedJson(s.signature());
          assertThat(KeyStatement.parseSigned(again).statement().toCanonicalJson())
              .isEqualTo(s.statement().toCanonicalJson());
        }
        case 2 -> {
          byte[] again = Transcript.parse(doc).toCanonicalJson();
          assertThat(Transcript.parse(again).toCanonicalJson()).isEqualTo(again);
        }
        default -> assertThat(WitnessSignature.parseAll(doc)).isNotNull();
      }
    } catch (FormatException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
