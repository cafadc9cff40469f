package dev.fleetvault.bench.protocol;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Thread-CPU-time per operation of the same steps as {@link ProtocolPrimitivesBenchmark}: a
 * cross-check of the JMH figures on a machine shared with other work, where wall-clock averages are
 * inflated by waiting for a CPU. Run: {@code java -cp "bench/target/*:bench/target/lib/*"
 * dev.fleetvault.bench.protocol.CpuTimeProbe}.
 *
 * <h2>Guarantees</h2>
 *
 * Measurement only; prints one line per step (CPU µs/op, median of 5 rounds).
 */
public final class CpuTimeProbe {
  private CpuTimeProbe() {}

  public static void main(String[] args) throws Exception {
    ProtocolPrimitivesBenchmark b = new ProtocolPrimitivesBenchmark();
    b.setUp();
    Map<String, Callable<Object>> steps = new LinkedHashMap<>();
    steps.put("memberEvaluate", b::memberEvaluate);
    steps.put("dleqProve", b::dleqProve);
    steps.put("memberEvaluateAndProve", b::memberEvaluateAndProve);
    steps.put("hpkeOpen", b::hpkeOpen);
    steps.put("hpkeOpenFromDh", b::hpkeOpenFromDh);
    steps.put("hpkeSeal", b::hpkeSeal);
    steps.put("clientBlind", b::clientBlind);
    steps.put("clientVerifyOneProof", b::clientVerifyOneProof);
    steps.put("clientCombineFive", b::clientCombineFive);
    steps.put("clientFinalize", b::clientFinalize);
    steps.put("ecdsaVerify", b::ecdsaVerify);
    steps.put("argon2idDefault", b::argon2idDefault);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (Map.Entry<String, Callable<Object>> e : steps.entrySet()) {
      int n = e.getKey().startsWith("argon2") ? 3 : 300;
      for (int i = 0; i < n; i++) {
        e.getValue().call(); // warm-up
      }
      double[] rounds = new double[5];
      for (int r = 0; r < rounds.length; r++) {
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          e.getValue().call();
        }
        rounds[r] = (mx.getCurrentThreadCpuTime() - t0) / 1000.0 / n;
      }
      java.util.Arrays.sort(rounds);
      System.out.printf("%-24s %10.1f us/op CPU (median of 5 x %d)%n", e.getKey(), rounds[2], n);
    }
  }
}
