package dev.fleetvault.driver.tck;

import static dev.fleetvault.driver.tck.ContractSupport.label;
import static dev.fleetvault.driver.tck.ContractSupport.newP256;
import static dev.fleetvault.driver.tck.ContractSupport.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.P256Points;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Contract part: 16 threads at once on one driver; every operation completes exactly once, none is
 * lost.
 */
public interface ConcurrencyContract extends DriverUnderTest {

  @TestFactory
  default Stream<DynamicTest> operations_from16Threads_allSucceedNoneLost() {
    return dependingOn(
        Capability.SEAL_AES_GCM,
        "16 threads seal/unseal (and sign/ecdh where present), none lost",
        this::operationsFrom16Threads,
        "16 threads each see seal refused with UNSUPPORTED (sign/ecdh where present), none lost",
        this::operationsFrom16Threads);
  }

  private void operationsFrom16Threads() throws Exception {
    HsmDriver driver = driver();
    boolean seal = has(Capability.SEAL_AES_GCM);
    boolean sign = has(Capability.SIGN_ECDSA_P256);
    boolean ecdh = has(Capability.ECDH_P256);
    KeyHandle aes = refusalHandle(KeySpec.AES_256);
    KeyHandle ec =
        has(Capability.GENERATE_EC_P256)
            ? driver.generateKey(KeySpec.EC_P256, label("conc-ec"))
            : null;
    ECPublicKey ecPub = ec == null ? null : (ECPublicKey) driver.publicKey(ec);
    int threads = 16;
    int ops = operationsPerThread();
    AtomicInteger done = new AtomicInteger();
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  KeyPair peer = newP256();
                  for (int i = 0; i < ops; i++) {
                    try {
                      byte[] pt = ("t" + thread + "-op" + i).getBytes(StandardCharsets.UTF_8);
                      byte[] aad = ("aad" + thread).getBytes(StandardCharsets.UTF_8);
                      if (!seal) {
                        try {
                          driver.seal(aes, pt, aad);
                          errors.add(
                              "t" + thread + " op" + i + ": seal accepted without SEAL_AES_GCM");
                        } catch (HsmException e) {
                          if (e.kind() != HsmException.Kind.UNSUPPORTED || e.isRetryable()) {
                            errors.add(
                                "t"
                                    + thread
                                    + " op"
                                    + i
                                    + ": seal without SEAL_AES_GCM refused with "
                                    + e.kind());
                          }
                        }
                      } else if (!Arrays.equals(
                          driver.unseal(aes, driver.seal(aes, pt, aad), aad), pt)) {
                        errors.add("t" + thread + " op" + i + ": unseal returned other plaintext");
                      }
                      if (ec != null
                          && sign
                          && !verify("SHA256withECDSA", ecPub, pt, driver.sign(ec, pt))) {
                        errors.add("t" + thread + " op" + i + ": signature does not verify");
                      }
                      if (ec != null && ecdh) {
                        byte[] z =
                            driver.ecdh(
                                ec, P256Points.encodeUncompressed((ECPublicKey) peer.getPublic()));
                        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
                        ka.init(peer.getPrivate());
                        ka.doPhase(ecPub, true);
                        if (!Arrays.equals(z, ka.generateSecret())) {
                          errors.add("t" + thread + " op" + i + ": ECDH mismatch");
                        }
                      }
                      done.incrementAndGet();
                    } catch (Exception e) {
                      errors.add("t" + thread + " op" + i + ": " + e);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES); // hang guard only; no speed is asserted
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(errors).isEmpty();
    assertEquals(threads * ops, done.get(), "every operation completed exactly once");
    if (!seal) {
      checkedAbsent(
          Capability.SEAL_AES_GCM,
          "seal refused with UNSUPPORTED " + threads * ops + " times from " + threads + " threads");
    }
  }
}
