package dev.fleetvault.loadgen;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The crypto ceiling: the recoveries per second the fleet's server-side cryptography alone would
 * allow.
 *
 * <p>Each server-side step of one recovery is timed single-threaded in this process on the
 * primitives the members use (Bouncy Castle P-256 and HPKE, the JDK's AES-GCM and HMAC), multiplied
 * by how often it happens per recovery (see {@link #measure(int, int, long)}), and the sum is
 * divided into the available cores: {@code ceiling = cores / Σ(cost_i × count_i)}. Everything else
 * (Raft, network, protobuf, JWT, the client's own Argon2id and proof checks when the client shares
 * the machine) comes on top, so the measured throughput divided by this ceiling says how much of
 * the machine the cryptography explains.
 */
public final class CryptoCeiling {
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

  /** One measured step. */
  public record Step(String name, String what, double micros, double perRecovery) {
    /** Microseconds this step costs per recovery. */
    public double microsPerRecovery() {
      return micros * perRecovery;
    }
  }

  /**
   * The measured ceiling.
   *
   * @param steps every step with its single-thread cost and count per recovery
   * @param microsPerRecovery single-thread server crypto time of one recovery
   * @param cores cores the fleet runs on
   * @param recoveriesPerSecond {@code cores × 1e6 / microsPerRecovery}
   */
  public record Result(
      List<Step> steps, double microsPerRecovery, int cores, double recoveriesPerSecond) {}

  private CryptoCeiling() {}

  /**
   * Measures every step for about {@code millisPerStep} each and computes the ceiling. How often
   * each server-side step runs in one recovery on a fleet of {@code n} members (phase 0 free read,
   * phase 1 guess, phase 2 release; DESIGN.md "Recover"). Per member:
   *
   * <ul>
   *   <li>HPKE open ×2 (phase 1 and 2 requests) and HPKE seal ×2 (their answers);
   *   <li>ECDSA sign ×2 (its own {@code attempt} and {@code succeed} commands) and ECDSA verify ×2n
   *       (every replica verifies both commands inside {@code apply});
   *   <li>AES-256-GCM record unseal ×3 (phases 0, 1, 2);
   *   <li>P-256 variable-base scalar multiplication ×2 (the evaluation {@code k_i·B} and the DLEQ
   *       proof's {@code t·B}) and fixed-base ×1 (the proof's {@code t·G});
   *   <li>HMAC-SHA256 ×1 (the unlock tag check);
   *   <li>ES256 app token verify ×1 (the client uses one token for the three phases of a recovery;
   *       each member verifies it once and answers the later phases from its verified-token cache).
   * </ul>
   *
   * This is the member logic as DESIGN.md describes it; when the gateway does more (or less) per
   * request, adjust the counts here.
   */
  public static Result measure(int n, int cores, long millisPerStep) {
    try {
      return measureChecked(n, cores, millisPerStep);
    } catch (Exception e) {
      throw new IllegalStateException("crypto ceiling measurement failed: " + e, e);
    }
  }

  private static Result measureChecked(int n, int cores, long millisPerStep) throws Exception {
    SecureRandom rnd = new SecureRandom();
    HPKE hpke =
        new HPKE(HPKE.mode_base, HPKE.kem_P256_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM128);
    AsymmetricCipherKeyPair member = hpke.generatePrivateKey();
    byte[] info = "fleetvault bench".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] request = new byte[200];
    rnd.nextBytes(request);
    byte[][] sealed = hpke.seal(member.getPublic(), info, new byte[0], request, null, null, null);

    BigInteger d = new BigInteger(256, rnd).mod(DOMAIN.getN());
    ECPrivateKeyParameters priv = new ECPrivateKeyParameters(d, DOMAIN);
    ECPublicKeyParameters pub =
        new ECPublicKeyParameters(
            new FixedPointCombMultiplier().multiply(DOMAIN.getG(), d), DOMAIN);
    byte[] cmdDigest = new byte[32];
    rnd.nextBytes(cmdDigest);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, priv);
    BigInteger[] sig = signer.generateSignature(cmdDigest);
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, pub);

    byte[] aesKey = new byte[32];
    rnd.nextBytes(aesKey);
    SecretKeySpec aes = new SecretKeySpec(aesKey, "AES");
    byte[] record = new byte[400];
    byte[] iv = new byte[12];
    Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
    enc.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, iv));
    byte[] sealedRecord = enc.doFinal(record);
    Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");

    ECPoint blinded =
        DOMAIN.getG().multiply(new BigInteger(256, rnd).mod(DOMAIN.getN())).normalize();
    BigInteger k = new BigInteger(256, rnd).mod(DOMAIN.getN());
    FixedPointCombMultiplier comb = new FixedPointCombMultiplier();

    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(aesKey, "HmacSHA256"));

    List<Step> steps = new ArrayList<>();
    steps.add(
        new Step(
            "hpke-open",
            "HPKE open (ECDH + HKDF + AES-128-GCM), 200 B",
            time(
                millisPerStep,
                () -> {
                  try {
                    return hpke.open(
                            sealed[1], member, info, new byte[0], sealed[0], null, null, null)
                        .length;
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }),
            2.0 * n));
    steps.add(
        new Step(
            "hpke-seal",
            "HPKE seal (ephemeral key + ECDH + HKDF + AES-128-GCM)",
            time(
                millisPerStep,
                () -> {
                  try {
                    return hpke.seal(
                            member.getPublic(), info, new byte[0], request, null, null, null)[0]
                        .length;
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }),
            2.0 * n));
    steps.add(
        new Step(
            "ecdsa-sign",
            "ECDSA P-256 sign of a ledger command",
            time(millisPerStep, () -> signer.generateSignature(cmdDigest)[0].bitLength()),
            2.0 * n));
    steps.add(
        new Step(
            "ecdsa-verify",
            "ECDSA P-256 verify in apply, on every replica",
            time(millisPerStep, () -> verifier.verifySignature(cmdDigest, sig[0], sig[1]) ? 1 : 0),
            2.0 * n * n));
    steps.add(
        new Step(
            "aes-gcm",
            "AES-256-GCM unseal of a 400 B record",
            time(
                millisPerStep,
                () -> {
                  try {
                    dec.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(128, iv));
                    return dec.doFinal(sealedRecord).length;
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }),
            3.0 * n));
    steps.add(
        new Step(
            "p256-mul",
            "P-256 variable-base scalar mult (k·B, DLEQ t·B)",
            time(
                millisPerStep, () -> blinded.multiply(k).normalize().getAffineXCoord().bitLength()),
            2.0 * n));
    steps.add(
        new Step(
            "p256-mul-g",
            "P-256 fixed-base scalar mult (DLEQ t·G)",
            time(
                millisPerStep,
                () -> comb.multiply(DOMAIN.getG(), k).normalize().getAffineXCoord().bitLength()),
            1.0 * n));
    steps.add(
        new Step(
            "hmac",
            "HMAC-SHA256 unlock tag",
            time(millisPerStep, () -> hmac.doFinal(cmdDigest).length),
            1.0 * n));
    // App tokens: members check ES256 with Bouncy Castle under the app's fixed key (parsed once,
    // its precomputed multiples kept), over SHA-256 of the token's signing input.
    BigInteger appD = new BigInteger(256, rnd).mod(DOMAIN.getN());
    ECPublicKeyParameters appPub =
        new ECPublicKeyParameters(
            new FixedPointCombMultiplier().multiply(DOMAIN.getG(), appD), DOMAIN);
    byte[] jws = new byte[300];
    rnd.nextBytes(jws);
    byte[] jwsDigest = sha256(jws);
    ECDSASigner appSigner = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    appSigner.init(true, new ECPrivateKeyParameters(appD, DOMAIN));
    BigInteger[] jwtSig = appSigner.generateSignature(jwsDigest);
    ECDSASigner jwtVerify = new ECDSASigner();
    jwtVerify.init(false, appPub);
    steps.add(
        new Step(
            "jwt-verify",
            "ES256 app token verify (SHA-256 + ECDSA, fixed app key), once per member per token",
            time(
                millisPerStep,
                () -> jwtVerify.verifySignature(sha256(jws), jwtSig[0], jwtSig[1]) ? 1 : 0),
            1.0 * n));

    double total = steps.stream().mapToDouble(Step::microsPerRecovery).sum();
    return new Result(List.copyOf(steps), total, cores, cores * 1e6 / total);
  }

  /**
   * Mean CPU microseconds per call, single thread (wall-clock where the JVM has no thread CPU
   * time). Warm-up first: at least 40% of the budget and at least {@link #WARMUP_CALLS} calls (so
   * the JIT has compiled the path), bounded by five budgets.
   */
  static double time(long millis, IntSupplier op) {
    long budget = millis * 1_000_000L;
    long warmStart = System.nanoTime();
    long warmEnd = warmStart + budget * 2 / 5;
    long hardEnd = warmStart + budget * 5;
    int sink = 0;
    long warmCalls = 0;
    long now = warmStart;
    while ((now < warmEnd || warmCalls < WARMUP_CALLS) && now < hardEnd) {
      sink += op.getAsInt();
      warmCalls++;
      now = System.nanoTime();
    }
    long start = System.nanoTime();
    long cpuStart = CPU.isCurrentThreadCpuTimeSupported() ? CPU.getCurrentThreadCpuTime() : -1;
    long end = start + budget;
    long calls = 0;
    do {
      sink += op.getAsInt();
      calls++;
      now = System.nanoTime();
    } while (now < end);
    long cpuEnd = cpuStart >= 0 ? CPU.getCurrentThreadCpuTime() : -1;
    if (sink == 42) {
      System.out.print("");
    }
    // This thread's CPU time where the JVM measures it: on a machine shared with other work the
    // wall
    // clock also counts the time spent waiting for a core, which is not the cost of the step.
    long spent = cpuStart >= 0 && cpuEnd > cpuStart ? cpuEnd - cpuStart : now - start;
    return spent / 1e3 / calls;
  }

  private static byte[] sha256(byte[] m) {
    SHA256Digest d = new SHA256Digest();
    d.update(m, 0, m.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /** Minimum warm-up calls per step. */
  static final int WARMUP_CALLS = 2000;
}
