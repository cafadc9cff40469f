package dev.fleetvault.protocol.flow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fleetvault.protocol.flow.parts.Envelopes;
import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.hpke.Hpke;
import dev.fleetvault.protocol.passkey.PasskeyEntry;
import dev.fleetvault.protocol.passkey.SoftwareAuthenticator;
import dev.fleetvault.protocol.wire.EdgeMessages;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.PasskeyAssertion;
import dev.fleetvault.protocol.wire.PasskeyRecord;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.Recover1Payload;
import dev.fleetvault.protocol.wire.Recover1Reply;
import dev.fleetvault.protocol.wire.ReplyStatus;
import dev.fleetvault.protocol.wire.WireCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Passkey entries (PROTOCOL.md 21) through the in-memory fleet: the member core gates every
 * attempt.
 */
class PasskeyFlowTest {
  private static final byte[] USER = "alice@example".getBytes(UTF_8);
  private static final byte[] ENTRY = PasskeyEntry.of(USER);
  private static final byte[] SECRET = "a 32-byte backup key, for real!!".getBytes(UTF_8);

  private final InMemoryFleet fleet = new InMemoryFleet(3, new DeterministicRandom("passkey"));
  private final SoftwareAuthenticator auth =
      new SoftwareAuthenticator("app.example", "https://app.example", fleet.random);

  private static byte[] recovered(RecoverResult r) {
    assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
    return ((RecoverResult.Recovered) r).secret().copy();
  }

  @Test
  void recoverPasskey_honestAuthenticator_recoversAndCountsNothingNet() {
    assertThat(fleet.registerPasskey(USER, auth, SECRET, 5))
        .isInstanceOf(RegisterResult.Registered.class);
    PasskeyRecord stored = MemberRecords.decode(fleet.record(1, ENTRY)).getPasskey();
    assertThat(stored.getRpId()).isEqualTo("app.example");
    assertThat(stored.getAllowedOriginsList()).containsExactly("https://app.example");
    assertThat(recovered(fleet.recoverPasskey(USER, auth, auth::assertion))).isEqualTo(SECRET);
    assertThat(fleet.counted(ENTRY)).isZero();
    assertThat(fleet.evaluatedAttempts).hasSize(1);
  }

  @Test
  void recoverPasskey_badAssertions_passkeyRefusedAndNothingCounted() {
    fleet.registerPasskey(USER, auth, SECRET, 5);
    SoftwareAuthenticator other =
        new SoftwareAuthenticator("app.example", "https://app.example", fleet.random);
    int uvUp = SoftwareAuthenticator.UP | SoftwareAuthenticator.UV;
    List<PasskeyAssertionSource> bad =
        List.of(
            other::assertion,
            c ->
                auth.assertion(
                    c.challenge(),
                    "evil.example",
                    "https://app.example",
                    uvUp,
                    "webauthn.get",
                    false),
            c ->
                auth.assertion(
                    c.challenge(),
                    "app.example",
                    "https://evil.example",
                    uvUp,
                    "webauthn.get",
                    false),
            c ->
                auth.assertion(
                    c.challenge(),
                    "app.example",
                    "https://app.example",
                    SoftwareAuthenticator.UP,
                    "webauthn.get",
                    false),
            c ->
                auth.assertion(
                    c.challenge(),
                    "app.example",
                    "https://app.example",
                    SoftwareAuthenticator.UV,
                    "webauthn.get",
                    false),
            c -> auth.assertion(new byte[32]));
    for (PasskeyAssertionSource source : bad) {
      assertThat(fleet.recoverPasskey(USER, auth, source))
          .isEqualTo(new RecoverResult.PasskeyRefused(5));
    }
    assertThat(fleet.counted(ENTRY)).isZero();
    assertThat(fleet.evaluatedAttempts).isEmpty();
    assertThat(recovered(fleet.recoverPasskey(USER, auth, auth::assertion))).isEqualTo(SECRET);
  }

  @Test
  void recoverPasskey_assertionOfAnEarlierAttemptReplayed_refusedNothingCounted() {
    fleet.registerPasskey(USER, auth, SECRET, 5);
    List<PasskeyAssertion> seen = new ArrayList<>();
    assertThat(
            recovered(
                fleet.recoverPasskey(
                    USER,
                    auth,
                    c -> {
                      PasskeyAssertion a = auth.assertion(c);
                      seen.add(a);
                      return a;
                    })))
        .isEqualTo(SECRET);
    int evaluated = fleet.evaluatedAttempts.size();
    // the operator (or a member that saw it) puts the old assertion into a new attempt
    assertThat(fleet.recoverPasskey(USER, auth, c -> seen.get(0)))
        .isEqualTo(new RecoverResult.PasskeyRefused(5));
    assertThat(fleet.counted(ENTRY)).isZero();
    assertThat(fleet.evaluatedAttempts).hasSize(evaluated);
  }

  @Test
  void recoverPasskey_noPrfOnlyTheAssertion_wrongPinCounted() {
    // someone with the passkey's assertions but a wrong PRF output: counted like a wrong PIN
    fleet.registerPasskey(USER, auth, SECRET, 5);
    SoftwareAuthenticator other =
        new SoftwareAuthenticator("app.example", "https://app.example", fleet.random);
    byte[] prf = other.prf(new byte[32]);
    RecoverResult r =
        fleet.recover(
            Recovery.beginPasskey(
                fleet.realm,
                InMemoryFleet.APP_ID,
                USER,
                dev.fleetvault.protocol.secret.SecretBytes.wrap(prf),
                auth::assertion,
                fleet.random));
    assertThat(r).isEqualTo(new RecoverResult.WrongPin(4));
  }

  @Test
  void pinAndPasskey_oneSecret_eitherRecoversAndDeletingThePasskeyKeepsThePin() {
    byte[] pin = "1234".getBytes(UTF_8);
    fleet.register(USER, pin, SECRET, 5);
    fleet.registerPasskey(USER, auth, SECRET, 5);
    assertThat(recovered(fleet.recover(USER, pin))).isEqualTo(SECRET);
    assertThat(recovered(fleet.recoverPasskey(USER, auth, auth::assertion))).isEqualTo(SECRET);
    fleet.delete(ENTRY);
    assertThat(fleet.recoverPasskey(USER, auth, auth::assertion))
        .isEqualTo(new RecoverResult.NotRegistered());
    assertThat(recovered(fleet.recover(USER, pin))).isEqualTo(SECRET);
  }

  @Test
  void register2_passkeyRulesBroken_refused() {
    // no relying party configured for the app
    fleet.relyingParty = Optional.empty();
    assertThatThrownBy(() -> fleet.registerPasskey(USER, auth, SECRET, 5))
        .isInstanceOf(RuntimeException.class);
    fleet.relyingParty =
        Optional.of(
            new dev.fleetvault.protocol.passkey.RelyingParty(
                "app.example", List.of("https://app.example")));
    // a PIN registration on the passkey entry id
    assertThatThrownBy(() -> fleet.register(ENTRY, "1234".getBytes(UTF_8), SECRET, 5))
        .isInstanceOf(RuntimeException.class);
    assertThat(fleet.row(1, ENTRY).version).isZero();
  }

  @Test
  void recover_pinOnPasskeyEntryOrPasskeyOnPinEntry_refusedBeforePhase1() {
    fleet.register(USER, "1234".getBytes(UTF_8), SECRET, 5);
    fleet.registerPasskey(USER, auth, SECRET, 5);
    assertThatThrownBy(() -> fleet.recover(ENTRY, "1234".getBytes(UTF_8)))
        .isInstanceOf(FlowException.class);
    assertThat(fleet.counted(ENTRY)).isZero();
  }

  /** Member 1's core, phase 1, for {@code user}'s entry with {@code payload}: the step it names. */
  private Recover1Step step(byte[] user, Recover1Payload payload, Envelopes.Sealed[] sealed) {
    InMemoryFleet.Node node = fleet.node(1);
    Envelopes.Sealed s =
        Envelopes.seal(
            fleet.realm.member(1).hpkePublicKey(),
            1,
            Phase.PHASE_RECOVER1,
            InMemoryFleet.FLEET_ID,
            InMemoryFleet.APP_ID,
            user,
            payload,
            fleet.random);
    sealed[0] = s;
    MemberRequest req = EdgeMessages.toMember(ByteString.copyFrom(user), s.request());
    byte[] dh =
        Ecdh.sharedSecretX(node.hpke.privateKey(), Hpke.parseEnc(node.logic.encForHsm(req)));
    try (OpenedRequest o = node.logic.open(Phase.PHASE_RECOVER1, req, InMemoryFleet.APP_ID, dh)) {
      return node.logic.recover1(
          o, fleet.ledger.view(1, InMemoryFleet.key(user)), fleet.record(1, user));
    }
  }

  private static Recover1Payload guess() {
    return Recover1Payload.newBuilder()
        .setRecordVersion(1)
        .setGeneration(1)
        .setBlindedElement(
            ByteString.copyFrom(
                GroupElement.generator().multiply(Scalar.ofLong(7)).encodeCompressed()))
        .setNonce(ByteString.copyFrom(new byte[32]))
        .build();
  }

  @Test
  void recover1_passkeyEntryWithoutAssertion_passkeyRefusedNothingToCommit() throws Exception {
    fleet.registerPasskey(USER, auth, SECRET, 5);
    Envelopes.Sealed[] sealed = new Envelopes.Sealed[1];
    Recover1Step step = step(ENTRY, guess(), sealed);
    assertThat(step).isInstanceOf(Recover1Step.Reply.class);
    Recover1Step.Reply reply = (Recover1Step.Reply) step;
    assertThat(reply.passkeyRefusal()).contains("no passkey assertion");
    Recover1Reply r =
        WireCodec.decode(
            Recover1Reply.class,
            Envelopes.openAnswer(
                sealed[0].answerKey(),
                Phase.PHASE_RECOVER1,
                1,
                InMemoryFleet.FLEET_ID,
                InMemoryFleet.APP_ID,
                ENTRY,
                reply.response().getAnswer()));
    assertThat(r.getStatus()).isEqualTo(ReplyStatus.REPLY_STATUS_PASSKEY_REFUSED);
    assertThat(r.getGuessesRemaining()).isEqualTo(5);
  }

  @Test
  void recover1_pinEntryWithAssertion_badRequest() {
    fleet.register(USER, "1234".getBytes(UTF_8), SECRET, 5);
    Recover1Payload withAssertion =
        guess().toBuilder().setPasskeyAssertion(auth.assertion(new byte[32])).build();
    assertThatThrownBy(() -> step(USER, withAssertion, new Envelopes.Sealed[1]))
        .isInstanceOf(BadRequestException.class);
  }
}
