package dev.fleetvault.protocol.flow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.fleetvault.protocol.flow.parts.Envelopes;
import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.hpke.Hpke;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.*;
import java.util.List;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/** The member core's steps one by one, driven the way a gateway drives them. */
class MemberLogicTest {
  private static final byte[] USER = "bob".getBytes(UTF_8);
  private static final ByteString U = ByteString.copyFrom(USER);
  private static final String KEY = InMemoryFleet.key(USER);

  private final InMemoryFleet fleet = new InMemoryFleet(3, new DeterministicRandom("member-logic"));
  private final InMemoryFleet.Node node = fleet.node(1);

  private record Sent(MemberRequest request, SecretBytes answerKey) {}

  private Sent seal(Phase phase, Message payload) {
    return seal(phase, InMemoryFleet.FLEET_ID, InMemoryFleet.APP_ID, payload);
  }

  private Sent seal(Phase phase, String fleetId, String appId, Message payload) {
    Envelopes.Sealed s =
        Envelopes.seal(
            fleet.realm.member(1).hpkePublicKey(),
            1,
            phase,
            fleetId,
            appId,
            USER,
            payload,
            fleet.random);
    return new Sent(EdgeMessages.toMember(U, s.request()), s.answerKey());
  }

  private OpenedRequest open(Phase phase, Sent sent) {
    return open(node, phase, sent);
  }

  private static OpenedRequest open(InMemoryFleet.Node node, Phase phase, Sent sent) {
    byte[] enc = node.logic.encForHsm(sent.request());
    return node.logic.open(
        phase,
        sent.request(),
        InMemoryFleet.APP_ID,
        Ecdh.sharedSecretX(node.hpke.privateKey(), Hpke.parseEnc(enc)));
  }

  private static <R extends Message> R reply(
      Sent sent, Phase phase, MemberResponse resp, Class<R> type) throws AEADBadTagException {
    return WireCodec.decode(
        type,
        Envelopes.openAnswer(
            sent.answerKey(),
            phase,
            1,
            InMemoryFleet.FLEET_ID,
            InMemoryFleet.APP_ID,
            USER,
            resp.getAnswer()));
  }

  /** Registers USER with limit 3 and returns member 1's record plaintext. */
  private byte[] registered() {
    fleet.register(USER, "1234".getBytes(UTF_8), "s3cret".getBytes(UTF_8), 3);
    return fleet.record(1, USER);
  }

  private LedgerRow row() {
    return fleet.ledger.view(1, KEY);
  }

  private Sent recover1(long version, long generation) {
    byte[] b = GroupElement.generator().multiply(Scalar.ofLong(7)).encodeCompressed();
    return seal(
        Phase.PHASE_RECOVER1,
        Recover1Payload.newBuilder()
            .setRecordVersion(version)
            .setGeneration(generation)
            .setBlindedElement(ByteString.copyFrom(b))
            .setNonce(ByteString.copyFrom(new byte[32]))
            .build());
  }

  private static CommitWitness grant(
      int member,
      String key,
      long version,
      byte[] digest,
      long generation,
      byte[] id,
      boolean last) {
    return TestWitnesses.witness(
        CommitWitness.Kind.ATTEMPT_GRANTED, member, key, version, digest, generation, id, 2, last);
  }

  /**
   * Property: k_i·B is evaluated only against an ATTEMPT_GRANTED witness covering exactly this
   * member, ledger key, version, record digest, generation and attempt id; every other witness is
   * refused with IllegalArgumentException and nothing is evaluated.
   */
  @Test
  void recover1Evaluate_witnessForAnotherMemberVersionDigestAttemptOrKind_refused()
      throws Exception {
    byte[] record = registered();
    Sent sent = recover1(1, 1);
    try (OpenedRequest req = open(Phase.PHASE_RECOVER1, sent)) {
      Recover1Step step = node.logic.recover1(req, row(), record);
      assertThat(step).isInstanceOf(Recover1Step.CommitAttempt.class);
      Recover1Step.CommitAttempt c = (Recover1Step.CommitAttempt) step;
      byte[] id = c.attemptId();
      byte[] digest = c.recordDigest();
      byte[] otherId = id.clone();
      otherId[0] ^= 1;
      byte[] otherDigest = digest.clone();
      otherDigest[31] ^= 1;
      List<CommitWitness> wrong =
          List.of(
              grant(2, KEY, 1, digest, 1, id, false),
              grant(1, InMemoryFleet.key("eve".getBytes(UTF_8)), 1, digest, 1, id, false),
              grant(1, KEY, 2, digest, 1, id, false),
              grant(1, KEY, 1, otherDigest, 1, id, false),
              grant(1, KEY, 1, digest, 1, otherId, false),
              grant(1, KEY, 1, digest, 2, id, false),
              TestWitnesses.witness(
                  CommitWitness.Kind.SUCCEEDED, 1, KEY, 1, digest, 1, id, 2, false));
      for (CommitWitness w : wrong) {
        assertThatThrownBy(() -> node.logic.recover1Evaluate(req, record, w))
            .as(w.toString())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("evaluating nothing");
      }
      // the right witness, but a record other than the one the ledger counted against
      byte[] otherRecord = InMemoryFleet.withWrongKey(record, fleet.random);
      assertThatThrownBy(
              () ->
                  node.logic.recover1Evaluate(
                      req, otherRecord, grant(1, KEY, 1, digest, 1, id, false)))
          .isInstanceOf(IllegalArgumentException.class);
      Recover1Reply ok =
          reply(
              sent,
              Phase.PHASE_RECOVER1,
              node.logic.recover1Evaluate(req, record, grant(1, KEY, 1, digest, 1, id, false)),
              Recover1Reply.class);
      assertThat(ok.getStatus()).isEqualTo(ReplyStatus.REPLY_STATUS_OK);
      assertThat(ok.getEvaluatedElement().size()).isEqualTo(33);
    }
  }

  /**
   * Property: a request naming another version or generation is answered VERSION_MISMATCH and
   * commits nothing.
   */
  @Test
  void recover1_staleVersionOrGeneration_versionMismatchWithoutCommit() throws Exception {
    byte[] record = registered();
    for (Sent sent : List.of(recover1(7, 1), recover1(1, 2))) {
      try (OpenedRequest req = open(Phase.PHASE_RECOVER1, sent)) {
        Recover1Step step = node.logic.recover1(req, row(), record);
        assertThat(step).isInstanceOf(Recover1Step.Reply.class);
        Recover1Reply r =
            reply(
                sent,
                Phase.PHASE_RECOVER1,
                ((Recover1Step.Reply) step).response(),
                Recover1Reply.class);
        assertThat(r.getStatus()).isEqualTo(ReplyStatus.REPLY_STATUS_VERSION_MISMATCH);
      }
    }
    assertThat(fleet.counted(USER)).isZero();
  }

  private Sent recover2(byte[] record, byte[] attemptId, boolean rightTag) {
    MemberRecord r = MemberRecords.decode(record);
    return seal(
        Phase.PHASE_RECOVER2,
        Recover2Payload.newBuilder()
            .setRecordVersion(1)
            .setAttemptId(ByteString.copyFrom(attemptId))
            .setUnlockTag(rightTag ? r.getUnlockTag() : ByteString.copyFrom(new byte[32]))
            .build());
  }

  /**
   * Property: the masked share is released only against a SUCCEEDED witness for exactly this
   * attempt, member, version and record; a grant (not the last guess) or a success for another
   * attempt releases nothing; the CommitSuccess step itself carries no share.
   */
  @Test
  void recover2Release_onlyWithSucceededWitness_shareReleased() throws Exception {
    byte[] record = registered();
    byte[] id = new byte[32];
    id[5] = 9;
    Sent sent = recover2(record, id, true);
    byte[] digest = MemberRecords.digest(record);
    try (OpenedRequest req = open(Phase.PHASE_RECOVER2, sent)) {
      Recover2Step step = node.logic.recover2(req, row(), record);
      assertThat(step).isInstanceOf(Recover2Step.CommitSuccess.class);
      Recover2Step.CommitSuccess c = (Recover2Step.CommitSuccess) step;
      assertThat(c.attemptId()).isEqualTo(id);
      assertThat(c.recordDigest()).isEqualTo(digest);
      assertThat(c.generation()).isEqualTo(1);
      assertThat(c.version()).isEqualTo(1);
      byte[] other = id.clone();
      other[0] ^= 1;
      for (CommitWitness w :
          List.of(
              grant(1, KEY, 1, digest, 1, id, false),
              TestWitnesses.witness(
                  CommitWitness.Kind.SUCCEEDED, 1, KEY, 1, digest, 1, other, 3, false),
              TestWitnesses.witness(
                  CommitWitness.Kind.SUCCEEDED, 2, KEY, 1, digest, 1, id, 3, false))) {
        assertThatThrownBy(() -> node.logic.recover2Release(req, record, w))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("releasing nothing");
      }
      Recover2Reply r =
          reply(
              sent,
              Phase.PHASE_RECOVER2,
              node.logic.recover2Release(
                  req,
                  record,
                  TestWitnesses.witness(
                      CommitWitness.Kind.SUCCEEDED, 1, KEY, 1, digest, 1, id, 3, false)),
              Recover2Reply.class);
      assertThat(r.getStatus()).isEqualTo(ReplyStatus.REPLY_STATUS_OK);
      assertThat(r.getMaskedDataShare())
          .isEqualTo(MemberRecords.decode(record).getMaskedDataShare());
    }
  }

  /**
   * Property (last-guess rule): phase 2 of the attempt that used the last guess releases the share
   * against that attempt's ATTEMPT_GRANTED witness with lastGuess() only; the same witness for
   * another attempt id is refused, and a wrong tag gets WRONG_TAG with 0 left.
   */
  @Test
  void recover2Release_lastGuessGrantForExactlyThatAttempt_releasedOtherwiseRefused()
      throws Exception {
    byte[] record = registered();
    byte[] digest = MemberRecords.digest(record);
    byte[] id = new byte[32];
    id[1] = 1;
    byte[] other = id.clone();
    other[2] = 2;
    CommitWitness last =
        TestWitnesses.witness(
            CommitWitness.Kind.ATTEMPT_GRANTED, 1, KEY, 1, digest, 1, id, 0, true);
    Sent right = recover2(record, id, true);
    try (OpenedRequest req = open(Phase.PHASE_RECOVER2, right)) {
      Recover2Reply r =
          reply(
              right,
              Phase.PHASE_RECOVER2,
              node.logic.recover2Release(req, record, last),
              Recover2Reply.class);
      assertThat(r.getStatus()).isEqualTo(ReplyStatus.REPLY_STATUS_OK);
    }
    Sent replayOther = recover2(record, other, true);
    try (OpenedRequest req = open(Phase.PHASE_RECOVER2, replayOther)) {
      assertThatThrownBy(() -> node.logic.recover2Release(req, record, last))
          .isInstanceOf(IllegalArgumentException.class);
    }
    Sent wrongTag = recover2(record, id, false);
    try (OpenedRequest req = open(Phase.PHASE_RECOVER2, wrongTag)) {
      Recover2Reply r =
          reply(
              wrongTag,
              Phase.PHASE_RECOVER2,
              node.logic.recover2Release(req, record, last),
              Recover2Reply.class);
      assertThat(r.getStatus()).isEqualTo(ReplyStatus.REPLY_STATUS_WRONG_TAG);
      assertThat(r.getGuessesRemaining()).isZero();
      assertThat(r.getMaskedDataShare().isEmpty()).isTrue();
    }
  }

  /** Property: a wrong tag commits nothing and answers the guesses left; no share. */
  @Test
  void recover2_wrongTag_replyWithRemainingAndNoShare() throws Exception {
    byte[] record = registered();
    Sent sent = recover2(record, new byte[32], false);
    try (OpenedRequest req = open(Phase.PHASE_RECOVER2, sent)) {
      Recover2Step some = node.logic.recover2(req, row(), record);
      assertThat(some).isInstanceOf(Recover2Step.Reply.class);
      Recover2Reply r =
          reply(
              sent,
              Phase.PHASE_RECOVER2,
              ((Recover2Step.Reply) some).response(),
              Recover2Reply.class);
      assertThat(r.getStatus()).isEqualTo(ReplyStatus.REPLY_STATUS_WRONG_TAG);
      assertThat(r.getGuessesRemaining()).isEqualTo(3);
      assertThat(r.getMaskedDataShare().isEmpty()).isTrue();
    }
  }

  private Register2Payload payloadOf(byte[] record) {
    MemberRecord r = MemberRecords.decode(record);
    return Register2Payload.newBuilder()
        .setRecordVersion(r.getRecordVersion())
        .setThreshold(r.getThreshold())
        .setMembers(r.getMembers())
        .setGuessLimit(r.getGuessLimit())
        .setPinParams(r.getPinParams())
        .setRegistrationSalt(r.getRegistrationSalt())
        .setOprfKeyShare(r.getOprfKeyShare())
        .addAllCommitments(r.getCommitmentsList())
        .setMaskedDataShare(r.getMaskedDataShare())
        .setUnlockTag(r.getUnlockTag())
        .setSecretCiphertext(r.getSecretCiphertext())
        .build();
  }

  /**
   * Property: an exact register2 retry is answered OK without a new commit; changed content is
   * stale.
   */
  @Test
  void register2_exactRetry_okWithoutStore_changedContent_stale() throws Exception {
    byte[] record = registered();
    Register2Payload same = payloadOf(record);
    Sent retry = seal(Phase.PHASE_REGISTER2, same);
    try (OpenedRequest req = open(Phase.PHASE_REGISTER2, retry)) {
      Register2Step step = node.logic.register2(req, row(), record);
      assertThat(step).isInstanceOf(Register2Step.Reply.class);
      Register2Reply r =
          reply(
              retry,
              Phase.PHASE_REGISTER2,
              ((Register2Step.Reply) step).response(),
              Register2Reply.class);
      assertThat(r.getStatus()).isEqualTo(ReplyStatus.REPLY_STATUS_OK);
    }
    Sent changed = seal(Phase.PHASE_REGISTER2, same.toBuilder().setGuessLimit(100).build());
    try (OpenedRequest req = open(Phase.PHASE_REGISTER2, changed)) {
      Register2Step step = node.logic.register2(req, row(), record);
      Register2Reply r =
          reply(
              changed,
              Phase.PHASE_REGISTER2,
              ((Register2Step.Reply) step).response(),
              Register2Reply.class);
      assertThat(r.getStatus()).isEqualTo(ReplyStatus.REPLY_STATUS_STALE_VERSION);
      assertThat(r.getCurrentVersion()).isEqualTo(1);
    }
  }

  private void assertRefused(InMemoryFleet.Node member, Register2Payload p, String message) {
    Sent sent = seal(Phase.PHASE_REGISTER2, p);
    try (OpenedRequest req = open(member, Phase.PHASE_REGISTER2, sent)) {
      assertThatThrownBy(() -> member.logic.register2(req, LedgerRow.absent(), null))
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining(message);
    }
  }

  /**
   * Property (registration policy): members refuse threshold ≠ ⌊n/2⌋+1 (threshold 1 included),
   * members ≠ n, a guess limit above the fleet's maximum and PIN parameters the fleet does not
   * allow (the test set under the production policy), each with a message naming the rule.
   */
  @Test
  void register2_policyViolations_badRequestWithClearMessage() {
    Register2Payload p = payloadOf(registered()).toBuilder().setRecordVersion(2).build();
    assertRefused(
        node, p.toBuilder().setThreshold(1).build(), "threshold is 1, this fleet requires t = 2");
    assertRefused(
        node, p.toBuilder().setThreshold(3).build(), "threshold is 3, this fleet requires t = 2");
    InMemoryFleet.Node strict =
        new InMemoryFleet(
                3,
                new DeterministicRandom("member-logic"),
                RegistrationPolicy.production(3).withMaxGuessLimit(10))
            .node(1);
    assertRefused(strict, p, "PIN parameters 'argon2id-v1-insecure-test-only' are not allowed");
    assertRefused(
        strict,
        p.toBuilder().setPinParams("argon2id-v1-default").setGuessLimit(11).build(),
        "guess limit is 11, must be 1..10");
  }

  /**
   * Property: members ≠ n is refused (with n commitments to match, so only the policy can refuse
   * it).
   */
  @Test
  void register2_membersNotTheFleetSize_badRequest() {
    Register2Payload p = payloadOf(registered()).toBuilder().setRecordVersion(2).build();
    Register2Payload five =
        p.toBuilder()
            .setMembers(5)
            .setThreshold(3)
            .addCommitments(p.getCommitments(0))
            .addCommitments(p.getCommitments(1))
            .build();
    assertRefused(node, five, "members is 5, this fleet has 3");
  }

  /**
   * Property: a guess limit of 0 or above MAX_GUESS_LIMIT never reaches the core (the payload is
   * malformed).
   */
  @Test
  void register2_guessLimitZeroOrAboveMax_badRequest() {
    Register2Payload p = payloadOf(registered()).toBuilder().setRecordVersion(2).build();
    for (int limit : new int[] {0, WireLimits.MAX_GUESS_LIMIT + 1}) {
      Sent sent = seal(Phase.PHASE_REGISTER2, p.toBuilder().setGuessLimit(limit).build());
      assertThatThrownBy(() -> open(Phase.PHASE_REGISTER2, sent))
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining("guess_limit is " + limit);
    }
  }

  /**
   * Property: commitments that do not lie on one polynomial of degree < t are refused
   * (commitmentsConsistent is called).
   */
  @Test
  void register2_inconsistentCommitments_badRequest() {
    Register2Payload p = payloadOf(registered()).toBuilder().setRecordVersion(2).build();
    // K_3 replaced: K_1 and k_1 still match, but K_1..K_3 are not on one line
    Register2Payload bad =
        p.toBuilder()
            .setCommitments(
                2,
                ByteString.copyFrom(
                    GroupElement.generator().multiply(Scalar.ofLong(5)).encodeCompressed()))
            .build();
    assertRefused(node, bad, "do not lie on one polynomial");
  }

  /**
   * Property: a record version above MAX_RECORD_VERSION = 2^53 − 1 is refused before the core sees
   * it.
   */
  @Test
  void register2_versionAboveMax_badRequest() {
    Register2Payload p = payloadOf(registered());
    Sent sent =
        seal(
            Phase.PHASE_REGISTER2,
            p.toBuilder().setRecordVersion(WireLimits.MAX_RECORD_VERSION + 1).build());
    assertThatThrownBy(() -> open(Phase.PHASE_REGISTER2, sent))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("record_version");
    Sent max =
        seal(
            Phase.PHASE_REGISTER2,
            p.toBuilder().setRecordVersion(WireLimits.MAX_RECORD_VERSION).build());
    try (OpenedRequest req = open(Phase.PHASE_REGISTER2, max)) {
      assertThat(node.logic.register2(req, row(), fleet.record(1, USER)))
          .isInstanceOf(Register2Step.Store.class);
    }
  }

  /** Property: envelopes sealed for another app or another fleet do not open at the member. */
  @Test
  void open_envelopeForAnotherAppOrFleet_badRequest() {
    for (Sent sent :
        List.of(
            seal(
                Phase.PHASE_RECOVER0,
                InMemoryFleet.FLEET_ID,
                "other-app",
                Recover0Payload.getDefaultInstance()),
            seal(
                Phase.PHASE_RECOVER0,
                "other-fleet",
                InMemoryFleet.APP_ID,
                Recover0Payload.getDefaultInstance()))) {
      assertThatThrownBy(() -> open(Phase.PHASE_RECOVER0, sent))
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining("does not open");
    }
    Sent ok = seal(Phase.PHASE_RECOVER0, Recover0Payload.getDefaultInstance());
    byte[] enc = node.logic.encForHsm(ok.request());
    byte[] dh = Ecdh.sharedSecretX(node.hpke.privateKey(), Hpke.parseEnc(enc));
    assertThatThrownBy(() -> node.logic.open(Phase.PHASE_RECOVER0, ok.request(), "other-app", dh))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("does not open");
    assertThatThrownBy(() -> node.logic.open(Phase.PHASE_RECOVER0, ok.request(), "bad/app", dh))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("app id");
    try (OpenedRequest req =
        node.logic.open(Phase.PHASE_RECOVER0, ok.request(), InMemoryFleet.APP_ID, dh)) {
      assertThat(req.ledgerKey()).isEqualTo(KEY);
    }
  }

  /** Property: a request opened for one phase cannot be fed to another phase's step. */
  @Test
  void phaseStep_withRequestOfAnotherPhase_illegalArgument() {
    Sent sent = seal(Phase.PHASE_RECOVER0, Recover0Payload.getDefaultInstance());
    try (OpenedRequest req = open(Phase.PHASE_RECOVER0, sent)) {
      assertThatThrownBy(() -> node.logic.register1(req, LedgerRow.absent()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(req.toString()).isEqualTo("OpenedRequest[PHASE_RECOVER0, member 1]");
    }
  }

  /** Property: the core refuses to answer from a REGISTERED row without the record it names. */
  @Test
  void recover0_registeredRowWithoutRecord_illegalState() {
    registered();
    Sent sent = seal(Phase.PHASE_RECOVER0, Recover0Payload.getDefaultInstance());
    try (OpenedRequest req = open(Phase.PHASE_RECOVER0, sent)) {
      assertThatThrownBy(() -> node.logic.recover0(req, row(), null))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  /**
   * Property: a payload of another type, a tampered ciphertext or an unknown version is refused at
   * open.
   */
  @Test
  void open_payloadOfWrongTypeOrGarbage_badRequest() {
    // a Recover1Payload sealed as a recover0 request: decodes with unknown fields
    Sent wrongType =
        seal(
            Phase.PHASE_RECOVER0,
            Recover1Payload.newBuilder()
                .setRecordVersion(1)
                .setBlindedElement(ByteString.copyFrom(new byte[33]))
                .setNonce(ByteString.copyFrom(new byte[32]))
                .build());
    assertThatThrownBy(() -> open(Phase.PHASE_RECOVER0, wrongType))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("malformed");
    // flipped ciphertext bit
    Sent sent = seal(Phase.PHASE_RECOVER0, Recover0Payload.getDefaultInstance());
    byte[] ct = sent.request().getRequest().getCiphertext().toByteArray();
    ct[0] ^= 1;
    MemberRequest tampered =
        sent.request().toBuilder()
            .setRequest(
                sent.request().getRequest().toBuilder().setCiphertext(ByteString.copyFrom(ct)))
            .build();
    assertThatThrownBy(() -> open(Phase.PHASE_RECOVER0, new Sent(tampered, sent.answerKey())))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("does not open");
    // unknown version at the member rpc
    MemberRequest v2 = sent.request().toBuilder().setVersion(2).build();
    assertThatThrownBy(() -> node.logic.encForHsm(v2))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("UNKNOWN_VERSION");
  }

  /** Property: a tampered answer flags its member, who is then not asked in phase 1. */
  @Test
  void client_tamperedAnswer_memberFlaggedNotTrusted() {
    fleet.register(USER, "1234".getBytes(UTF_8), "s3cret".getBytes(UTF_8), 3);
    Recovery rec =
        Recovery.begin(
            fleet.realm,
            InMemoryFleet.APP_ID,
            USER,
            SecretBytes.copyOf("1234".getBytes(UTF_8)),
            fleet.random);
    Recover0Response resp = fleet.call(rec.recover0Request());
    List<MemberResult> results = new java.util.ArrayList<>(resp.getResultsList());
    SealedAnswer a = results.get(2).getAnswer();
    byte[] ct = a.getCiphertext().toByteArray();
    ct[ct.length - 1] ^= 1;
    results.set(
        2,
        EdgeMessages.answered(
            MemberResponse.newBuilder()
                .setVersion(1)
                .setSuite(1)
                .setAnswer(a.toBuilder().setCiphertext(ByteString.copyFrom(ct)))
                .build()));
    RecoveryStep<Recover1Request> step =
        rec.afterRecover0(resp.toBuilder().clearResults().addAllResults(results).build());
    assertThat(step).isInstanceOf(RecoveryStep.Send.class);
    assertThat(rec.flaggedMembers()).containsExactly(3);
    // the flagged member is not asked in phase 1
    assertThat(((RecoveryStep.Send<Recover1Request>) step).request().getRequestsList())
        .extracting(SealedRequest::getMember)
        .containsExactly(1, 2);
  }
}
