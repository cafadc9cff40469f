package dev.fleetvault.protocol.flow;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.fleetvault.protocol.flow.impl.Derive;
import dev.fleetvault.protocol.flow.impl.Envelopes;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.InvalidEncodingException;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.hpke.Hpke;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.threshold.MemberEvaluation;
import dev.fleetvault.protocol.threshold.MemberKeyShare;
import dev.fleetvault.protocol.threshold.ThresholdOprfMember;
import dev.fleetvault.protocol.wire.DeletePayload;
import dev.fleetvault.protocol.wire.DeleteReply;
import dev.fleetvault.protocol.wire.MemberRecord;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResponse;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.Recover0Payload;
import dev.fleetvault.protocol.wire.Recover0Reply;
import dev.fleetvault.protocol.wire.Recover1Payload;
import dev.fleetvault.protocol.wire.Recover1Reply;
import dev.fleetvault.protocol.wire.Recover2Payload;
import dev.fleetvault.protocol.wire.Recover2Reply;
import dev.fleetvault.protocol.wire.Register1Payload;
import dev.fleetvault.protocol.wire.Register1Reply;
import dev.fleetvault.protocol.wire.Register2Payload;
import dev.fleetvault.protocol.wire.Register2Reply;
import dev.fleetvault.protocol.wire.ReplyStatus;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireFormatException;
import dev.fleetvault.protocol.wire.WireVersion;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * The trusted logic of one member: pure functions of the opened request, the member's
 * decrypted record, the ledger's committed row and randomness. The gateway does all I/O
 * (HSM ECDH and record sealing, record store, ledger commits) in the order each step names;
 * see /work/team/api-protocol-flows.md and PROTOCOL.md "Member steps".
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>No I/O, no clock; randomness only from the {@link SecureRandom} given at construction.</li>
 *   <li>{@link #open} accepts only envelopes sealed to this member for this phase and user
 *       (HPKE info binds user, member, phase, version, suite); anything else throws
 *       {@link BadRequestException} and nothing must be committed.</li>
 *   <li>The OPRF is evaluated only in {@link #recover1Granted}, only with an
 *       {@link AttemptGranted} for exactly this request's attempt id.</li>
 *   <li>The unlock tag is compared in constant time; a masked share leaves only in a
 *       {@link Recover2Step.CommitSuccess} response the gateway may send after the ledger
 *       committed the success.</li>
 *   <li>Every answer is sealed to the client under a key exported from the request's HPKE
 *       context; the edge can neither read nor forge it.</li>
 * </ul>
 * Thread-safe if the {@link SecureRandom} is.
 */
public final class MemberLogic {
  private final int memberIndex;
  private final GroupElement publicKey;
  private final SecureRandom random;

  /**
   * The logic of member {@code memberIndex} (1..n) whose HPKE public key (its HSM key) is
   * {@code hpkePublicKeyUncompressed} (65 bytes).
   */
  public MemberLogic(int memberIndex, byte[] hpkePublicKeyUncompressed, SecureRandom random) {
    this.publicKey = MemberKey.of(memberIndex, hpkePublicKeyUncompressed).hpkePublicKey();
    this.memberIndex = memberIndex;
    this.random = Objects.requireNonNull(random, "random");
  }

  /** This member's index. */
  public int memberIndex() {
    return memberIndex;
  }

  /**
   * Validates {@code request.request.enc} (65-byte uncompressed point on P-256, not the
   * identity, sealed to this member index) and returns it: the point the HSM's ECDH takes.
   * Call it BEFORE the HSM so that no invalid point reaches the device.
   *
   * @throws BadRequestException otherwise
   */
  public byte[] encForHsm(MemberRequest request) {
    checkRequest(request);
    byte[] enc = request.getRequest().getEnc().toByteArray();
    try {
      Hpke.parseEnc(enc);
    } catch (InvalidEncodingException e) {
      throw new BadRequestException("envelope enc is not a valid P-256 point: " + e.getMessage(), e);
    }
    return enc;
  }

  private void checkRequest(MemberRequest request) {
    try {
      WireCodec.check(request);
    } catch (WireFormatException e) {
      throw new BadRequestException("malformed member request: " + e.getMessage(), e);
    }
    if (request.getRequest().getMember() != memberIndex) {
      throw new BadRequestException("envelope is addressed to member " + request.getRequest().getMember()
          + ", this is member " + memberIndex);
    }
  }

  /**
   * Opens the envelope of {@code request} for {@code phase}, given {@code dhResult} = the
   * 32-byte x-coordinate of skR·enc that the HSM computed
   * ({@code HsmDriver.ecdh(hpkeKey, encForHsm(request))}).
   *
   * @throws BadRequestException if it does not open or its payload is malformed
   */
  public OpenedRequest open(Phase phase, MemberRequest request, byte[] dhResult) {
    Objects.requireNonNull(phase, "phase");
    Class<? extends Message> type = payloadType(phase);
    encForHsm(request);
    if (dhResult == null || dhResult.length != 32) {
      throw new IllegalArgumentException("dhResult must be the 32-byte ECDH x-coordinate");
    }
    byte[] userId = request.getUserId().toByteArray();
    Envelopes.Opened opened;
    try (SecretBytes dh = SecretBytes.copyOf(dhResult)) {
      opened = Envelopes.open(request.getRequest(), publicKey, dh, phase, userId);
    } catch (AEADBadTagException e) {
      throw new BadRequestException("envelope does not open: not sealed to member " + memberIndex + " for "
          + phase + " and this user, or tampered");
    }
    try {
      Message payload = WireCodec.decode(type, opened.payload());
      return new OpenedRequest(phase, userId, memberIndex, payload, opened.answerKey());
    } catch (WireFormatException e) {
      opened.answerKey().wipe();
      throw new BadRequestException("sealed " + type.getSimpleName() + " is malformed: " + e.getMessage(), e);
    } finally {
      Derive.wipe(opened.payload());
    }
  }

  private static Class<? extends Message> payloadType(Phase phase) {
    switch (phase) {
      case PHASE_REGISTER1: return Register1Payload.class;
      case PHASE_REGISTER2: return Register2Payload.class;
      case PHASE_RECOVER0: return Recover0Payload.class;
      case PHASE_RECOVER1: return Recover1Payload.class;
      case PHASE_RECOVER2: return Recover2Payload.class;
      case PHASE_DELETE: return DeletePayload.class;
      default: throw new IllegalArgumentException("not a request phase: " + phase);
    }
  }

  /** Register round 1: answers the member's current version (from {@code row}); commits nothing. */
  public MemberResponse register1(OpenedRequest request, LedgerRow row) {
    expect(request, Phase.PHASE_REGISTER1);
    return respond(request, Register1Reply.newBuilder()
        .setStatus(ReplyStatus.REPLY_STATUS_OK)
        .setCurrentVersion(row.version())
        .build());
  }

  /**
   * Register round 2: validates the payload (every commitment a valid point, k_i non-zero with
   * k_i·G = K_i) and builds the record to store. A version not above {@code row.version()} is
   * refused as stale — except an exact retry (same version, record identical to
   * {@code currentRecord}, the unsealed record at {@code row.version()} or null), which is
   * answered OK without a new commit, so a retry can never reset a counter.
   *
   * @throws BadRequestException for an invalid payload
   */
  public Register2Step register2(OpenedRequest request, LedgerRow row, MemberRecord currentRecord) {
    expect(request, Phase.PHASE_REGISTER2);
    Register2Payload p = (Register2Payload) request.payload();
    if (memberIndex > p.getMembers()) {
      throw new BadRequestException("register2 for a fleet of " + p.getMembers() + " sent to member " + memberIndex);
    }
    try {
      GroupElement mine = null;
      for (int j = 0; j < p.getCommitmentsCount(); j++) {
        GroupElement c = GroupElement.decodeCompressed(p.getCommitments(j).toByteArray());
        if (j + 1 == memberIndex) {
          mine = c;
        }
      }
      Scalar k = Scalar.decodeNonZero(p.getOprfKeyShare().toByteArray());
      if (!GroupElement.multiplyGenerator(k).equals(mine)) {
        throw new BadRequestException("register2: OPRF key share does not match its commitment K_" + memberIndex);
      }
    } catch (InvalidEncodingException e) {
      throw new BadRequestException("register2: " + e.getMessage(), e);
    }
    MemberRecord record = MemberRecord.newBuilder()
        .setFormat(WireVersion.RECORD_FORMAT_1)
        .setSuite(WireVersion.SUITE_P256_SHA256)
        .setUserId(ByteString.copyFrom(request.userId()))
        .setMember(memberIndex)
        .setRecordVersion(p.getRecordVersion())
        .setThreshold(p.getThreshold())
        .setMembers(p.getMembers())
        .setGuessLimit(p.getGuessLimit())
        .setPinParams(p.getPinParams())
        .setRegistrationSalt(p.getRegistrationSalt())
        .setOprfKeyShare(p.getOprfKeyShare())
        .addAllCommitments(p.getCommitmentsList())
        .setMaskedDataShare(p.getMaskedDataShare())
        .setUnlockTag(p.getUnlockTag())
        .setSecretCiphertext(p.getSecretCiphertext())
        .build();
    if (p.getRecordVersion() <= row.version()) {
      boolean retry = p.getRecordVersion() == row.version() && row.state() == LedgerRow.State.REGISTERED
          && currentRecord != null && MessageDigest.isEqual(currentRecord.toByteArray(), record.toByteArray());
      return new Register2Step.Reply(retry
          ? register2Committed(request, row.version())
          : register2Stale(request, row.version()));
    }
    byte[] bytes = WireCodec.encode(record);
    return new Register2Step.Store(record, bytes, MemberRecords.digest(bytes), p.getRecordVersion(), p.getGuessLimit());
  }

  /** Register round 2, after the ledger committed {@code register(user, version, ...)}. */
  public MemberResponse register2Committed(OpenedRequest request, long version) {
    expect(request, Phase.PHASE_REGISTER2);
    return respond(request, Register2Reply.newBuilder()
        .setStatus(ReplyStatus.REPLY_STATUS_OK).setCurrentVersion(version).build());
  }

  /** Register round 2, when the version is not above {@code currentVersion}. */
  public MemberResponse register2Stale(OpenedRequest request, long currentVersion) {
    expect(request, Phase.PHASE_REGISTER2);
    return respond(request, Register2Reply.newBuilder()
        .setStatus(ReplyStatus.REPLY_STATUS_STALE_VERSION).setCurrentVersion(currentVersion).build());
  }

  /**
   * Recover phase 0 (free): version, salt, commitments, counters. {@code record} is the
   * unsealed record at {@code row.version()} (null if the row is not REGISTERED).
   */
  public MemberResponse recover0(OpenedRequest request, LedgerRow row, MemberRecord record) {
    expect(request, Phase.PHASE_RECOVER0);
    ReplyStatus s = status(row);
    if (s != ReplyStatus.REPLY_STATUS_OK) {
      return respond(request, Recover0Reply.newBuilder().setStatus(s).build());
    }
    checkRecord(request, row, record);
    return respond(request, Recover0Reply.newBuilder()
        .setStatus(ReplyStatus.REPLY_STATUS_OK)
        .setRecordVersion(record.getRecordVersion())
        .setThreshold(record.getThreshold())
        .setMembers(record.getMembers())
        .setGuessLimit(record.getGuessLimit())
        .setGuessesRemaining(Math.min(row.guessesRemaining(), record.getGuessLimit()))
        .setPinParams(record.getPinParams())
        .setRegistrationSalt(record.getRegistrationSalt())
        .addAllCommitments(record.getCommitmentsList())
        .build());
  }

  /**
   * Recover phase 1, step 1: validates the blinded element and computes the attempt id the
   * gateway must commit; or an answer that commits nothing.
   *
   * @throws BadRequestException if the blinded element is not a valid non-identity point
   */
  public Recover1Step recover1(OpenedRequest request, LedgerRow row, MemberRecord record) {
    expect(request, Phase.PHASE_RECOVER1);
    Recover1Payload p = (Recover1Payload) request.payload();
    ReplyStatus s = status(row);
    if (s == ReplyStatus.REPLY_STATUS_OK && p.getRecordVersion() != row.version()) {
      s = ReplyStatus.REPLY_STATUS_VERSION_MISMATCH;
    }
    if (s != ReplyStatus.REPLY_STATUS_OK) {
      return new Recover1Step.Reply(respond(request, Recover1Reply.newBuilder().setStatus(s).build()));
    }
    checkRecord(request, row, record);
    blinded(p);
    return new Recover1Step.CommitAttempt(attemptId(request, p));
  }

  private static GroupElement blinded(Recover1Payload p) {
    try {
      return GroupElement.decodeCompressed(p.getBlindedElement().toByteArray());
    } catch (InvalidEncodingException e) {
      throw new BadRequestException("recover1: blinded element " + e.getMessage(), e);
    }
  }

  private byte[] attemptId(OpenedRequest request, Recover1Payload p) {
    return Derive.attemptId(request.userId(), memberIndex, p.getRecordVersion(),
        p.getBlindedElement().toByteArray(), p.getNonce().toByteArray());
  }

  /**
   * Recover phase 1, step 2: evaluates Z = k_i·B with a DLEQ proof against K_i, only for the
   * committed attempt.
   *
   * @throws IllegalArgumentException if {@code grant} is for another attempt id
   */
  public MemberResponse recover1Granted(OpenedRequest request, MemberRecord record, AttemptGranted grant) {
    expect(request, Phase.PHASE_RECOVER1);
    Recover1Payload p = (Recover1Payload) request.payload();
    if (!MessageDigest.isEqual(attemptId(request, p), grant.attemptId())) {
      throw new IllegalArgumentException("AttemptGranted is for another attempt id; evaluating nothing");
    }
    if (record == null || record.getRecordVersion() != p.getRecordVersion() || record.getMember() != memberIndex) {
      throw new IllegalArgumentException("record does not match the granted attempt");
    }
    byte[] k = record.getOprfKeyShare().toByteArray();
    MemberEvaluation e;
    try {
      e = ThresholdOprfMember.evaluate(new MemberKeyShare(memberIndex, Scalar.decodeNonZero(k)), blinded(p), random);
    } finally {
      Derive.wipe(k);
    }
    return respond(request, Recover1Reply.newBuilder()
        .setStatus(ReplyStatus.REPLY_STATUS_OK)
        .setEvaluatedElement(ByteString.copyFrom(e.evaluated().encodeCompressed()))
        .setProof(ByteString.copyFrom(e.proof().encode()))
        .setGuessesRemaining(grant.guessesRemaining())
        .build());
  }

  /** Recover phase 1, step 2 when the ledger refused the attempt because the limit was reached. */
  public MemberResponse recover1NoGuesses(OpenedRequest request) {
    expect(request, Phase.PHASE_RECOVER1);
    return respond(request, Recover1Reply.newBuilder().setStatus(ReplyStatus.REPLY_STATUS_NO_GUESSES).build());
  }

  /** Recover phase 2: constant-time tag check; what to commit and what to answer. */
  public Recover2Step recover2(OpenedRequest request, LedgerRow row, MemberRecord record) {
    expect(request, Phase.PHASE_RECOVER2);
    Recover2Payload p = (Recover2Payload) request.payload();
    ReplyStatus s = status(row);
    if (s == ReplyStatus.REPLY_STATUS_OK && p.getRecordVersion() != row.version()) {
      s = ReplyStatus.REPLY_STATUS_VERSION_MISMATCH;
    }
    if (s != ReplyStatus.REPLY_STATUS_OK) {
      return new Recover2Step.Reply(respond(request, Recover2Reply.newBuilder().setStatus(s).build()));
    }
    checkRecord(request, row, record);
    byte[] stored = record.getUnlockTag().toByteArray();
    byte[] given = p.getUnlockTag().toByteArray();
    boolean match = MessageDigest.isEqual(stored, given);
    Derive.wipe(stored, given);
    if (match) {
      return new Recover2Step.CommitSuccess(p.getAttemptId().toByteArray(), respond(request, Recover2Reply.newBuilder()
          .setStatus(ReplyStatus.REPLY_STATUS_OK)
          .setMaskedDataShare(record.getMaskedDataShare())
          .setSecretCiphertext(record.getSecretCiphertext())
          .setGuessesRemaining(record.getGuessLimit())
          .build()));
    }
    int remaining = Math.min(row.guessesRemaining(), record.getGuessLimit());
    MemberResponse wrong = respond(request, Recover2Reply.newBuilder()
        .setStatus(ReplyStatus.REPLY_STATUS_WRONG_TAG)
        .setGuessesRemaining(remaining)
        .build());
    return remaining == 0 ? new Recover2Step.CommitDestroy(wrong) : new Recover2Step.Reply(wrong);
  }

  /** Delete, after the ledger committed this member's {@code delete(user)} (also if there was nothing). */
  public MemberResponse deleted(OpenedRequest request) {
    expect(request, Phase.PHASE_DELETE);
    return respond(request, DeleteReply.newBuilder().setStatus(ReplyStatus.REPLY_STATUS_OK).build());
  }

  private static ReplyStatus status(LedgerRow row) {
    switch (row.state()) {
      case REGISTERED: return ReplyStatus.REPLY_STATUS_OK;
      case NO_GUESSES: return ReplyStatus.REPLY_STATUS_NO_GUESSES;
      default: return ReplyStatus.REPLY_STATUS_NOT_REGISTERED;
    }
  }

  private void checkRecord(OpenedRequest request, LedgerRow row, MemberRecord record) {
    if (record == null) {
      throw new IllegalStateException("the ledger row is REGISTERED but no record was passed");
    }
    if (record.getMember() != memberIndex || record.getRecordVersion() != row.version()
        || !Arrays.equals(record.getUserId().toByteArray(), request.userId())) {
      throw new IllegalStateException("the record passed is not this member's record of this user at the ledger's version");
    }
  }

  private void expect(OpenedRequest request, Phase phase) {
    if (request.phase() != phase || request.member() != memberIndex) {
      throw new IllegalArgumentException("request opened for " + request.phase() + " at member " + request.member()
          + " passed to the " + phase + " step of member " + memberIndex);
    }
  }

  private MemberResponse respond(OpenedRequest request, Message reply) {
    return MemberResponse.newBuilder()
        .setVersion(WireVersion.VERSION_1)
        .setSuite(WireVersion.SUITE_P256_SHA256)
        .setAnswer(Envelopes.answer(request.answerKey(), request.phase(), memberIndex, request.userId(), reply, random))
        .build();
  }
}
