package dev.fleetvault.bundles;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Single-byte mutations of an over-the-air envelope: the verifier never throws, and whatever it
 * accepts is, after decoding, exactly the original envelope (a mutation can only survive where the
 * encoding has slack, e.g. an equivalent JSON escape — never in a signed or proven value).
 */
class BundleVerifierMutationTest {
  @Test
  void verify_singleByteMutations_neverThrowAndNeverAcceptAnotherEnvelope() {
    TestLog log = new TestLog();
    Bundle b1 = log.publish(TestLog.artifact(1));
    VerifierState s1 =
        ((VerificationResult.Accepted)
                new BundleVerifier(log.trust(), BundleVerifierTest.NOW)
                    .verify(log.envelope(b1, 0), VerifierState.initial()))
            .newState();
    log.publish(TestLog.artifact(2));
    Bundle b3 = log.publish(TestLog.artifact(3));
    byte[] original = log.envelope(b3, s1.treeSize()).toJson();
    BundleVerifier v =
        new BundleVerifier(
            log.trust(), Clock.fixed(BundleVerifierTest.NOW.instant(), ZoneOffset.UTC));
    assertThat(v.verify(original, s1).accepted()).isTrue();

    Random rnd = new Random(6);
    List<String> failures = new ArrayList<>();
    int checked = 0;
    int accepted = 0;
    for (int k = 0; k < 600; k++) {
      int pos = rnd.nextInt(original.length);
      byte[] m = original.clone();
      m[pos] = (byte) (k % 3 == 0 ? m[pos] ^ (1 << rnd.nextInt(8)) : rnd.nextInt(256));
      if (Arrays.equals(m, original)) {
        continue;
      }
      checked++;
      try {
        VerificationResult r = v.verify(m, s1);
        if (r.accepted()) {
          accepted++;
          byte[] again = BundleEnvelope.parse(m).toJson();
          if (!Arrays.equals(again, original)) {
            failures.add(
                String.format("testcase %d (byte %d): accepted a different envelope", k, pos));
          }
        }
      } catch (RuntimeException e) {
        failures.add(String.format("testcase %d (byte %d): threw %s", k, pos, e));
      }
    }
    System.out.println(
        "envelope mutations checked: " + checked + ", accepted as equivalent: " + accepted);
    assertThat(failures).isEmpty();
  }
}
