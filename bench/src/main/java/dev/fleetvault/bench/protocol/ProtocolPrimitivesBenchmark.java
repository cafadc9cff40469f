package dev.fleetvault.bench.protocol;

import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.hpke.Hpke;
import dev.fleetvault.protocol.hpke.HpkeKeyPair;
import dev.fleetvault.protocol.hpke.HpkeRecipientContext;
import dev.fleetvault.protocol.hpke.HpkeSealed;
import dev.fleetvault.protocol.oprf.BlindedInput;
import dev.fleetvault.protocol.oprf.Dleq;
import dev.fleetvault.protocol.oprf.DleqProof;
import dev.fleetvault.protocol.oprf.OprfMode;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.sig.EcdsaP256;
import dev.fleetvault.protocol.threshold.CombineResult;
import dev.fleetvault.protocol.threshold.MemberEvaluation;
import dev.fleetvault.protocol.threshold.MemberKeyShare;
import dev.fleetvault.protocol.threshold.ThresholdOprfClient;
import dev.fleetvault.protocol.threshold.ThresholdOprfKeys;
import dev.fleetvault.protocol.threshold.ThresholdOprfMember;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Single-thread cost of the protocol's cryptographic steps (software, Bouncy Castle P-256), for a
 * fleet of n = 5, t = 3. Server side: member evaluation ({@code k_i·B}), DLEQ proof, HPKE open of a
 * 200-byte envelope (with the ECDH in software, and from an ECDH result as when the HSM does it).
 * Client side: blind, verify one member proof, combine t answers (verifying them) and finalize,
 * HPKE seal. Plus Argon2id with the default parameter set and ECDSA verify.
 *
 * <h2>Guarantees</h2>
 *
 * Measures only; asserts nothing. Inputs are fixed per trial so each op does identical work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProtocolPrimitivesBenchmark {
  private static final byte[] INFO = "fleetvault/v1 bench".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AAD = "recover1".getBytes(StandardCharsets.US_ASCII);

  private final SecureRandom rnd = new SecureRandom();
  private MemberKeyShare share;
  private ThresholdOprfClient client;
  private BlindedInput blinded;
  private GroupElement blindedElement;
  private GroupElement z;
  private MemberEvaluation evaluation;
  private List<MemberEvaluation> answers;
  private GroupElement combined;
  private HpkeKeyPair member;
  private HpkeSealed envelope;
  private SecretBytes dh;
  private SecretBytes pin;
  private byte[] salt;
  private Scalar signingKey;
  private GroupElement verifyKey;
  private byte[] command;
  private byte[] signature;

  @Setup
  public void setUp() {
    ThresholdOprfKeys keys = ThresholdOprfKeys.deal(Scalar.random(rnd), 5, 3, rnd);
    share = keys.shares().get(0);
    client = new ThresholdOprfClient(3, keys.commitments());
    blinded = client.blind(new byte[32], rnd);
    blindedElement = blinded.blindedElement();
    z = blindedElement.multiply(share.share());
    answers = new ArrayList<>();
    for (MemberKeyShare s : keys.shares()) {
      answers.add(ThresholdOprfMember.evaluate(s, blindedElement, rnd));
    }
    evaluation = answers.get(0);
    combined = ((CombineResult.Combined) client.combine(blindedElement, answers)).evaluation();
    member = HpkeKeyPair.generate(rnd);
    byte[] payload = new byte[200];
    rnd.nextBytes(payload);
    envelope = Hpke.seal(member.publicKey(), INFO, AAD, payload, rnd);
    dh = SecretBytes.wrap(Ecdh.sharedSecretX(member.privateKey(), Hpke.parseEnc(envelope.enc())));
    pin = SecretBytes.copyOf("123456".getBytes(StandardCharsets.US_ASCII));
    salt = new byte[32];
    signingKey = Scalar.random(rnd);
    verifyKey = EcdsaP256.publicKey(signingKey);
    command = new byte[160];
    signature = EcdsaP256.sign(signingKey, command);
  }

  /** Server: Z_i = k_i·B alone. */
  @Benchmark
  public GroupElement memberEvaluate() {
    return blindedElement.multiply(share.share());
  }

  /** Server: the DLEQ proof for (G, K_i, B, Z_i) alone. */
  @Benchmark
  public DleqProof dleqProve() {
    return Dleq.generate(
        OprfMode.VOPRF,
        share.share(),
        GroupElement.generator(),
        share.commitment(),
        List.of(blindedElement),
        List.of(z),
        rnd);
  }

  /** Server: evaluation + proof, what a member computes per guess. */
  @Benchmark
  public MemberEvaluation memberEvaluateAndProve() {
    return ThresholdOprfMember.evaluate(share, blindedElement, rnd);
  }

  /** Server: HPKE setup (software ECDH) + open of a 200-byte envelope. */
  @Benchmark
  public byte[] hpkeOpen() throws AEADBadTagException {
    return Hpke.open(member, INFO, AAD, envelope);
  }

  /** Server: HPKE setup from an ECDH result (the HSM did the ECDH) + open; excludes the ECDH. */
  @Benchmark
  public byte[] hpkeOpenFromDh() throws AEADBadTagException {
    try (HpkeRecipientContext ctx =
        Hpke.setupBaseRecipientFromDh(envelope.enc(), member.publicKey(), dh, INFO)) {
      return ctx.open(AAD, envelope.ciphertext());
    }
  }

  /** Client: seal a 200-byte envelope to one member. */
  @Benchmark
  public HpkeSealed hpkeSeal() {
    return Hpke.seal(member.publicKey(), INFO, AAD, new byte[200], rnd);
  }

  /** Client: Blind (hash to curve + one multiplication). */
  @Benchmark
  public BlindedInput clientBlind() {
    return client.blind(new byte[32], rnd);
  }

  /** Client: verify one member's DLEQ proof. */
  @Benchmark
  public boolean clientVerifyOneProof() {
    return client.verify(blindedElement, evaluation);
  }

  /** Client: verify all 5 answers, combine 3 in the exponent. */
  @Benchmark
  public CombineResult clientCombineFive() {
    return client.combine(blindedElement, answers);
  }

  /** Client: Finalize (unblind + hash). */
  @Benchmark
  public SecretBytes clientFinalize() {
    return client.finalize(blinded, combined);
  }

  /** Client: Argon2id with ARGON2ID_V1_DEFAULT (m = 16 MiB, t = 32, p = 1). */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public SecretBytes argon2idDefault() {
    return dev.fleetvault.protocol.pin.Argon2id.stretchPin(
        pin, salt, dev.fleetvault.protocol.pin.Argon2idParameters.ARGON2ID_V1_DEFAULT);
  }

  /** Quorum/gateway: verify one member-signed command (ECDSA P-256, software). */
  @Benchmark
  public boolean ecdsaVerify() {
    return EcdsaP256.verify(verifyKey, command, signature);
  }
}
