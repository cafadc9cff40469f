package dev.fleetvault.bench.flow;

import com.google.protobuf.ByteString;
import dev.fleetvault.protocol.flow.CommitWitness;
import dev.fleetvault.protocol.flow.LedgerKeys;
import dev.fleetvault.protocol.flow.LedgerRow;
import dev.fleetvault.protocol.flow.MemberLogic;
import dev.fleetvault.protocol.flow.MemberRecords;
import dev.fleetvault.protocol.flow.OpenedRequest;
import dev.fleetvault.protocol.flow.Recover1Step;
import dev.fleetvault.protocol.flow.Recover2Step;
import dev.fleetvault.protocol.flow.Register2Step;
import dev.fleetvault.protocol.flow.RegistrationPolicy;
import dev.fleetvault.protocol.flow.parts.Derive;
import dev.fleetvault.protocol.flow.parts.Envelopes;
import dev.fleetvault.protocol.flow.parts.RegistrationMath;
import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.hpke.Hpke;
import dev.fleetvault.protocol.hpke.HpkeKeyPair;
import dev.fleetvault.protocol.pin.Argon2idParameters;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.EdgeMessages;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResponse;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.Recover0Payload;
import dev.fleetvault.protocol.wire.Recover1Payload;
import dev.fleetvault.protocol.wire.Recover2Payload;
import dev.fleetvault.protocol.wire.Register2Payload;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Single-thread CPU cost of one member's whole step per phase (fleet n = 5, t = 3), as the gateway
 * runs it minus the I/O: envelope check, ECDH (in software here; an HSM does it in production — see
 * {@code openFromDh} for the CPU left to the node then), HPKE open, the member logic, and sealing
 * the answer. Ledger commits and record unsealing are not included.
 *
 * <h2>Guarantees</h2>
 *
 * Measures only; asserts nothing. Each op does identical work (fixed envelopes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MemberFlowBenchmark {
  private static final byte[] USER = "bench-user".getBytes(StandardCharsets.UTF_8);
  private static final String FLEET = "bench";
  private static final String APP = "bench-app";

  /** This JVM runs no quorum module: the benchmark plays the ledger and claims the witness mint. */
  private static final class Mint {
    static final CommitWitness.Mint MINT = CommitWitness.claimMint();
  }

  private final SecureRandom rnd = new SecureRandom();
  private HpkeKeyPair key;
  private MemberLogic logic;
  private byte[] record;
  private byte[] digest;
  private LedgerRow row;
  private CommitWitness grant;
  private MemberRequest recover0;
  private MemberRequest recover1;
  private MemberRequest recover2;
  private byte[] dh1;

  @Setup
  public void setup() {
    int n = 5;
    int t = 3;
    key = HpkeKeyPair.generate(rnd);
    logic =
        new MemberLogic(
            1,
            key.publicKey().encodeUncompressed(),
            FLEET,
            RegistrationPolicy.production(n).allowingTestPinParams(),
            rnd);
    List<Scalar> k = new ArrayList<>();
    List<Scalar> d = new ArrayList<>();
    for (int j = 0; j < t; j++) {
      k.add(Scalar.random(rnd));
      d.add(Scalar.random(rnd));
    }
    byte[] salt = new byte[32];
    rnd.nextBytes(salt);
    Map<Integer, Register2Payload> payloads =
        RegistrationMath.payloads(
            SecretBytes.copyOf("1234".getBytes(StandardCharsets.UTF_8)),
            SecretBytes.copyOf(new byte[32]),
            new RegistrationMath.Inputs(
                USER,
                FLEET,
                Argon2idParameters.ARGON2ID_V1_INSECURE_TEST_ONLY,
                1,
                10,
                n,
                t,
                salt,
                k,
                d,
                new byte[12]));
    MemberRequest reg = request(Phase.PHASE_REGISTER2, payloads.get(1));
    try (OpenedRequest o = logic.open(Phase.PHASE_REGISTER2, reg, APP, dh(reg))) {
      record = ((Register2Step.Store) logic.register2(o, LedgerRow.absent(), null)).recordBytes();
    }
    digest = MemberRecords.digest(record);
    row = new LedgerRow(LedgerRow.State.REGISTERED, 1, digest, 1, 10);
    recover0 = request(Phase.PHASE_RECOVER0, Recover0Payload.getDefaultInstance());
    byte[] b = GroupElement.generator().multiply(Scalar.random(rnd)).encodeCompressed();
    recover1 =
        request(
            Phase.PHASE_RECOVER1,
            Recover1Payload.newBuilder()
                .setRecordVersion(1)
                .setGeneration(1)
                .setBlindedElement(ByteString.copyFrom(b))
                .setNonce(ByteString.copyFrom(new byte[32]))
                .build());
    dh1 = dh(recover1);
    try (OpenedRequest o = logic.open(Phase.PHASE_RECOVER1, recover1, APP, dh1)) {
      byte[] id = ((Recover1Step.CommitAttempt) logic.recover1(o, row, record)).attemptId();
      grant =
          Mint.MINT.witness(
              CommitWitness.Kind.ATTEMPT_GRANTED,
              1,
              LedgerKeys.of(APP, USER),
              1,
              digest,
              1,
              id,
              9,
              false,
              1);
    }
    recover2 =
        request(
            Phase.PHASE_RECOVER2,
            Recover2Payload.newBuilder()
                .setRecordVersion(1)
                .setAttemptId(ByteString.copyFrom(new byte[32]))
                .setUnlockTag(MemberRecords.decode(record).getUnlockTag())
                .build());
  }

  private MemberRequest request(Phase phase, com.google.protobuf.Message payload) {
    return EdgeMessages.toMember(
        ByteString.copyFrom(USER),
        Envelopes.seal(key.publicKey(), 1, phase, FLEET, APP, USER, payload, rnd).request());
  }

  private byte[] dh(MemberRequest r) {
    return Ecdh.sharedSecretX(key.privateKey(), Hpke.parseEnc(logic.encForHsm(r)));
  }

  /** Phase 0: check, ECDH, open, answer. */
  @Benchmark
  public MemberResponse recover0() {
    try (OpenedRequest o = logic.open(Phase.PHASE_RECOVER0, recover0, APP, dh(recover0))) {
      return logic.recover0(o, row, record);
    }
  }

  /** Phase 1: check, ECDH, open, attempt id, evaluate k_i·B, DLEQ proof, answer. */
  @Benchmark
  public MemberResponse recover1() {
    try (OpenedRequest o = logic.open(Phase.PHASE_RECOVER1, recover1, APP, dh(recover1))) {
      logic.recover1(o, row, record);
      return logic.recover1Evaluate(o, record, grant);
    }
  }

  /** Phase 1 with the ECDH done elsewhere (HSM): the CPU left on the node. */
  @Benchmark
  public MemberResponse recover1FromDh() {
    try (OpenedRequest o = logic.open(Phase.PHASE_RECOVER1, recover1, APP, dh1)) {
      logic.recover1(o, row, record);
      return logic.recover1Evaluate(o, record, grant);
    }
  }

  /** Phase 2: check, ECDH, open, constant-time tag check, answer with the share. */
  @Benchmark
  public Recover2Step recover2() {
    try (OpenedRequest o = logic.open(Phase.PHASE_RECOVER2, recover2, APP, dh(recover2))) {
      return logic.recover2(o, row, record);
    }
  }

  /** Only the attempt id hash (for scale). */
  @Benchmark
  public byte[] attemptId() {
    return Derive.attemptId(FLEET, APP, USER, 1, 1, new byte[33], new byte[32]);
  }
}
