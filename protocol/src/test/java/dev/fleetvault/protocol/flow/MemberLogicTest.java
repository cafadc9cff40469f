package dev.fleetvault.protocol.flow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.fleetvault.protocol.flow.impl.Envelopes;
import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.hpke.Hpke;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.*;
import java.util.List;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/** The member steps one by one, driven the way a gateway drives them. */
class MemberLogicTest {
  private static final byte[] USER = "bob".getBytes(UTF_8);
  private static final ByteString U = ByteString.copyFrom(USER);

  private final InMemoryFleet fleet = new InMemoryFleet(3, new DeterministicRandom("member-logic"));
  private final InMemoryFleet.Node node = fleet.node(1);

  private record Sent(MemberRequest request, SecretBytes answerKey) {}

  private Sent seal(Phase phase, Message payload) {
    Envelopes.Sealed s = Envelopes.seal(fleet.realm.member(1).hpkePublicKey(), 1, phase, USER, payload, fleet.random);
    return new Sent(EdgeMessages.toMember(U, s.request()), s.answerKey());
  }

  private OpenedRequest open(Phase phase, Sent sent) {
    byte[] enc = node.logic.encForHsm(sent.request());
    return node.logic.open(phase, sent.request(), Ecdh.sharedSecretX(node.hpke.privateKey(), Hpke.parseEnc(enc)));
  }

  private static <R extends Message> R reply(Sent sent, Phase phase, MemberResponse resp, Class<R> type)
      throws AEADBadTagException {
    return WireCodec.decode(type, Envelopes.openAnswer(sent.answerKey(), phase, 1, USER, resp.getAnswer()));
  }

  private MemberRecord registered() {
    fleet.register(USER, "1234".getBytes(UTF_8), "s3cret".getBytes(UTF_8), 3);
    InMemoryFleet.Row row = node.row(U);
    return node.record(U, row);
  }

  private Sent recover1(long version) {
    byte[] b = GroupElement.generator().multiply(Scalar.ofLong(7)).encodeCompressed();
    return seal(Phase.PHASE_RECOVER1, Recover1Payload.newBuilder().setRecordVersion(version)
        .setBlindedElement(ByteString.copyFrom(b)).setNonce(ByteString.copyFrom(new byte[32])).build());
  }

  @Test
  void recover1Granted_grantForAnotherAttempt_refusedAndNothingEvaluated() {
    MemberRecord record = registered();
    Sent sent = recover1(1);
    try (OpenedRequest req = open(Phase.PHASE_RECOVER1, sent)) {
      Recover1Step step = node.logic.recover1(req, node.row(U).view(), record);
      assertThat(step).isInstanceOf(Recover1Step.CommitAttempt.class);
      byte[] other = ((Recover1Step.CommitAttempt) step).attemptId();
      other[0] ^= 1;
      assertThatThrownBy(() -> node.logic.recover1Granted(req, record, new AttemptGranted(other, 2)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another attempt");
    }
  }

  @Test
  void recover1_staleVersion_versionMismatchWithoutCommit() throws Exception {
    MemberRecord record = registered();
    Sent sent = recover1(7);
    try (OpenedRequest req = open(Phase.PHASE_RECOVER1, sent)) {
      Recover1Step step = node.logic.recover1(req, node.row(U).view(), record);
      assertThat(step).isInstanceOf(Recover1Step.Reply.class);
      Recover1Reply r = reply(sent, Phase.PHASE_RECOVER1, ((Recover1Step.Reply) step).response(), Recover1Reply.class);
      assertThat(r.getStatus()).isEqualTo(ReplyStatus.REPLY_STATUS_VERSION_MISMATCH);
    }
  }

  @Test
  void recover2_wrongTagOnLastGuess_commitDestroy_otherwiseReply() throws Exception {
    MemberRecord record = registered();
    Recover2Payload p = Recover2Payload.newBuilder().setRecordVersion(1)
        .setAttemptId(ByteString.copyFrom(new byte[32])).setUnlockTag(ByteString.copyFrom(new byte[32])).build();
    Sent sent = seal(Phase.PHASE_RECOVER2, p);
    try (OpenedRequest req = open(Phase.PHASE_RECOVER2, sent)) {
      Recover2Step some = node.logic.recover2(req, new LedgerRow(LedgerRow.State.REGISTERED, 1, 2), record);
      assertThat(some).isInstanceOf(Recover2Step.Reply.class);
      Recover2Reply r = reply(sent, Phase.PHASE_RECOVER2, ((Recover2Step.Reply) some).response(), Recover2Reply.class);
      assertThat(r.getStatus()).isEqualTo(ReplyStatus.REPLY_STATUS_WRONG_TAG);
      assertThat(r.getGuessesRemaining()).isEqualTo(2);
      assertThat(r.getMaskedDataShare().isEmpty()).isTrue();
      Recover2Step last = node.logic.recover2(req, new LedgerRow(LedgerRow.State.REGISTERED, 1, 0), record);
      assertThat(last).isInstanceOf(Recover2Step.CommitDestroy.class);
    }
  }

  @Test
  void recover2_rightTag_shareOnlyInsideCommitSuccess() throws Exception {
    MemberRecord record = registered();
    Recover2Payload p = Recover2Payload.newBuilder().setRecordVersion(1)
        .setAttemptId(ByteString.copyFrom(new byte[32])).setUnlockTag(record.getUnlockTag()).build();
    Sent sent = seal(Phase.PHASE_RECOVER2, p);
    try (OpenedRequest req = open(Phase.PHASE_RECOVER2, sent)) {
      Recover2Step step = node.logic.recover2(req, node.row(U).view(), record);
      assertThat(step).isInstanceOf(Recover2Step.CommitSuccess.class);
      Recover2Step.CommitSuccess c = (Recover2Step.CommitSuccess) step;
      assertThat(c.attemptId()).isEqualTo(new byte[32]);
      Recover2Reply r = reply(sent, Phase.PHASE_RECOVER2, c.responseAfterCommit(), Recover2Reply.class);
      assertThat(r.getMaskedDataShare()).isEqualTo(record.getMaskedDataShare());
      assertThat(c.toString()).doesNotContain(record.getMaskedDataShare().toString());
    }
  }

  @Test
  void register2_exactRetry_okWithoutStore_changedContent_stale() throws Exception {
    MemberRecord record = registered();
    Register2Payload same = Register2Payload.newBuilder()
        .setRecordVersion(1).setThreshold(record.getThreshold()).setMembers(record.getMembers())
        .setGuessLimit(record.getGuessLimit()).setPinParams(record.getPinParams())
        .setRegistrationSalt(record.getRegistrationSalt()).setOprfKeyShare(record.getOprfKeyShare())
        .addAllCommitments(record.getCommitmentsList()).setMaskedDataShare(record.getMaskedDataShare())
        .setUnlockTag(record.getUnlockTag()).setSecretCiphertext(record.getSecretCiphertext()).build();
    Sent retry = seal(Phase.PHASE_REGISTER2, same);
    try (OpenedRequest req = open(Phase.PHASE_REGISTER2, retry)) {
      Register2Step step = node.logic.register2(req, node.row(U).view(), record);
      assertThat(step).isInstanceOf(Register2Step.Reply.class);
      Register2Reply r = reply(retry, Phase.PHASE_REGISTER2, ((Register2Step.Reply) step).response(), Register2Reply.class);
      assertThat(r.getStatus()).isEqualTo(ReplyStatus.REPLY_STATUS_OK);
    }
    Sent changed = seal(Phase.PHASE_REGISTER2, same.toBuilder().setGuessLimit(100).build());
    try (OpenedRequest req = open(Phase.PHASE_REGISTER2, changed)) {
      Register2Step step = node.logic.register2(req, node.row(U).view(), record);
      Register2Reply r = reply(changed, Phase.PHASE_REGISTER2, ((Register2Step.Reply) step).response(), Register2Reply.class);
      assertThat(r.getStatus()).isEqualTo(ReplyStatus.REPLY_STATUS_STALE_VERSION);
      assertThat(r.getCurrentVersion()).isEqualTo(1);
    }
  }

  @Test
  void phaseStep_withRequestOfAnotherPhase_illegalArgument() {
    Sent sent = seal(Phase.PHASE_RECOVER0, Recover0Payload.getDefaultInstance());
    try (OpenedRequest req = open(Phase.PHASE_RECOVER0, sent)) {
      assertThatThrownBy(() -> node.logic.register1(req, LedgerRow.absent()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(req.toString()).isEqualTo("OpenedRequest[PHASE_RECOVER0, member 1]");
    }
  }

  @Test
  void recover0_registeredRowWithoutRecord_illegalState() {
    registered();
    Sent sent = seal(Phase.PHASE_RECOVER0, Recover0Payload.getDefaultInstance());
    try (OpenedRequest req = open(Phase.PHASE_RECOVER0, sent)) {
      assertThatThrownBy(() -> node.logic.recover0(req, node.row(U).view(), null))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void open_payloadOfWrongTypeOrGarbage_badRequest() {
    // a Recover1Payload sealed as a recover0 request: decodes with unknown fields
    Sent wrongType = seal(Phase.PHASE_RECOVER0, Recover1Payload.newBuilder().setRecordVersion(1)
        .setBlindedElement(ByteString.copyFrom(new byte[33])).setNonce(ByteString.copyFrom(new byte[32])).build());
    assertThatThrownBy(() -> open(Phase.PHASE_RECOVER0, wrongType))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("malformed");
    // flipped ciphertext bit
    Sent sent = seal(Phase.PHASE_RECOVER0, Recover0Payload.getDefaultInstance());
    byte[] ct = sent.request().getRequest().getCiphertext().toByteArray();
    ct[0] ^= 1;
    MemberRequest tampered = sent.request().toBuilder()
        .setRequest(sent.request().getRequest().toBuilder().setCiphertext(ByteString.copyFrom(ct))).build();
    assertThatThrownBy(() -> open(Phase.PHASE_RECOVER0, new Sent(tampered, sent.answerKey())))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("does not open");
    // unknown version at the member rpc
    MemberRequest v2 = sent.request().toBuilder().setVersion(2).build();
    assertThatThrownBy(() -> node.logic.encForHsm(v2)).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("UNKNOWN_VERSION");
  }

  @Test
  void client_tamperedAnswer_memberFlaggedNotTrusted() {
    fleet.register(USER, "1234".getBytes(UTF_8), "s3cret".getBytes(UTF_8), 3);
    Recovery rec = Recovery.begin(fleet.realm, USER, SecretBytes.copyOf("1234".getBytes(UTF_8)), fleet.random);
    Recover0Response resp = fleet.call(rec.recover0Request());
    List<MemberResult> results = new java.util.ArrayList<>(resp.getResultsList());
    SealedAnswer a = results.get(2).getAnswer();
    byte[] ct = a.getCiphertext().toByteArray();
    ct[ct.length - 1] ^= 1;
    results.set(2, EdgeMessages.answered(MemberResponse.newBuilder().setVersion(1).setSuite(1)
        .setAnswer(a.toBuilder().setCiphertext(ByteString.copyFrom(ct))).build()));
    RecoveryStep<Recover1Request> step = rec.afterRecover0(resp.toBuilder().clearResults().addAllResults(results).build());
    assertThat(step).isInstanceOf(RecoveryStep.Send.class);
    assertThat(rec.flaggedMembers()).containsExactly(3);
    // the flagged member is not asked in phase 1
    assertThat(((RecoveryStep.Send<Recover1Request>) step).request().getRequestsList())
        .extracting(SealedRequest::getMember).containsExactly(1, 2);
  }
}
