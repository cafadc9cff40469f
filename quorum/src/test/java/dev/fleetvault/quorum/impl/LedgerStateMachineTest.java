package dev.fleetvault.quorum.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.quorum.CommandOutcome;
import dev.fleetvault.quorum.LedgerCommand;
import dev.fleetvault.quorum.LedgerResult;
import dev.fleetvault.quorum.QuorumMember;
import dev.fleetvault.quorum.RejectReason;
import dev.fleetvault.quorum.RowState;
import dev.fleetvault.quorum.RowView;
import dev.fleetvault.quorum.SignedCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The deterministic state machine: signatures, ownership, sequence numbers, idempotence, and the
 * fleet-wide counting rules of the issue-10 contract (one set of attempt ids per registration,
 * t-of-n resets, generations, version/digest binding), plus the snapshot rules (verified, never
 * lowers a row).
 */
class LedgerStateMachineTest {
  private static final SecureRandom RND = new SecureRandom();
  private static final long E = 7;
  private final KeyPair[] k = {key(), key(), key()};
  private final List<QuorumMember> members =
      List.of(
          new QuorumMember(1, "127.0.0.1", 1, 2, k[0].getPublic()),
          new QuorumMember(2, "127.0.0.1", 3, 4, k[1].getPublic()),
          new QuorumMember(3, "127.0.0.1", 5, 6, k[2].getPublic()));
  private final byte[][] digest = {rnd(32), rnd(32), rnd(32)};
  private final long[] seq = new long[4];

  private LedgerStateMachine fresh() {
    return new LedgerStateMachine(CommandVerifier.forEpoch(E, members));
  }

  private static KeyPair key() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] rnd(int n) {
    byte[] b = new byte[n];
    RND.nextBytes(b);
    return b;
  }

  private static byte[] envelope(KeyPair k, LedgerCommand c) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(k.getPrivate());
      s.update(c.canonicalBytes());
      return SignedCommand.of(c, s.sign()).encode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sign(KeyPair k, LedgerCommand c) {
    return Entries.memberCommand(envelope(k, c));
  }

  private static LedgerResult<CommandOutcome> apply(LedgerStateMachine sm, byte[] entry) {
    return Results.decodeCommand(sm.apply(entry, 0, entry.length, true));
  }

  private static RejectReason reason(LedgerResult<?> r) {
    assertThat(r).isInstanceOf(LedgerResult.Rejected.class);
    return ((LedgerResult.Rejected<?>) r).reason();
  }

  // --- helpers that keep per-member sequence numbers (the members' own rows for user "u")

  private byte[] reg(int m, long version, int limit) {
    return sign(
        k[m - 1],
        LedgerCommand.register(E, m, "u", ++seq[m], rnd(16), version, digest[m - 1], limit));
  }

  private byte[] att(int m, long version, long gen, byte[] aid) {
    return sign(
        k[m - 1],
        LedgerCommand.attempt(E, m, "u", ++seq[m], rnd(16), version, digest[m - 1], gen, aid));
  }

  private byte[] suc(int m, long version, long gen, byte[] aid) {
    return sign(
        k[m - 1],
        LedgerCommand.succeed(E, m, "u", ++seq[m], rnd(16), version, digest[m - 1], gen, aid));
  }

  /**
   * Applies a command that must be applied (sequence kept) or rolls the helper's sequence back on
   * rejection.
   */
  private LedgerResult<CommandOutcome> run(LedgerStateMachine sm, int m, byte[] entry) {
    LedgerResult<CommandOutcome> r = apply(sm, entry);
    if (!r.isCommitted()) seq[m]--;
    return r;
  }

  private LedgerStateMachine registeredAll(int limit) {
    LedgerStateMachine sm = fresh();
    for (int m = 1; m <= 3; m++) assertThat(run(sm, m, reg(m, 1, limit)).isCommitted()).isTrue();
    return sm;
  }

  private static byte[] snapshot(LedgerStateMachine sm) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    sm.writeContentTo(new DataOutputStream(bos));
    return bos.toByteArray();
  }

  private static void load(LedgerStateMachine sm, byte[] snap) throws IOException {
    sm.readContentFrom(new DataInputStream(new ByteArrayInputStream(snap)));
  }

  // ------------------------------------------------------------------ signatures and sequences

  @Test
  void register_signedByOwner_applied() {
    LedgerStateMachine sm = fresh();
    LedgerResult<CommandOutcome> r = run(sm, 1, reg(1, 1, 3));
    assertThat(r.value().row().state()).isEqualTo(RowState.REGISTERED);
    assertThat(r.value().row().sequence()).isEqualTo(1);
    assertThat(r.value().row().generation()).isEqualTo(1);
  }

  @Test
  void command_signedByAnotherMember_rejectedNoEffect() {
    LedgerStateMachine sm = fresh();
    byte[] before = sm.stateDigest();
    LedgerResult<CommandOutcome> r =
        apply(sm, sign(k[1], LedgerCommand.register(E, 1, "u", 1, rnd(16), 1, rnd(32), 3)));
    assertThat(reason(r)).isEqualTo(RejectReason.BAD_SIGNATURE);
    assertThat(sm.stateDigest()).isEqualTo(before);
  }

  @Test
  void command_tamperedAfterSigning_rejected() {
    LedgerStateMachine sm = fresh();
    byte[] e = reg(1, 1, 3);
    e[e.length - 80] ^= 1;
    assertThat(reason(apply(sm, e))).isIn(RejectReason.BAD_SIGNATURE, RejectReason.MALFORMED);
    assertThat(sm.rowCount()).isZero();
  }

  @Test
  void command_unknownEpochOrMember_rejected() {
    LedgerStateMachine sm = fresh();
    assertThat(
            reason(
                apply(
                    sm, sign(k[0], LedgerCommand.register(8, 1, "u", 1, rnd(16), 1, rnd(32), 3)))))
        .isEqualTo(RejectReason.UNKNOWN_EPOCH);
    assertThat(
            reason(
                apply(
                    sm, sign(k[0], LedgerCommand.register(E, 9, "u", 1, rnd(16), 1, rnd(32), 3)))))
        .isEqualTo(RejectReason.UNKNOWN_MEMBER);
    assertThat(reason(apply(sm, new byte[] {1, 0, 3, 1, 2, 3}))).isEqualTo(RejectReason.MALFORMED);
  }

  @Test
  void replay_sameCommand_answeredAgainNotCountedTwice() {
    LedgerStateMachine sm = registeredAll(5);
    byte[] attempt = att(1, 1, 1, rnd(32));
    LedgerResult<CommandOutcome> first = apply(sm, attempt);
    LedgerResult<CommandOutcome> again = apply(sm, attempt);
    assertThat(again).isEqualTo(first);
    assertThat(sm.localRow("u", 1).fleetAttempts()).isEqualTo(1);
  }

  @Test
  void replay_oldSignedSucceedAfterCacheEvicted_staleSequenceNoReset() {
    LedgerStateMachine sm = registeredAll(100);
    byte[] aid = rnd(32);
    run(sm, 1, att(1, 1, 1, aid));
    byte[] s1 = suc(1, 1, 1, aid);
    byte[] s2 = suc(2, 1, 1, aid);
    run(sm, 1, s1);
    assertThat(run(sm, 2, s2).value().counterReset()).isTrue();
    for (int i = 0; i < LedgerStateMachine.RECENT + 2; i++) run(sm, 1, att(1, 1, 2, rnd(32)));
    RowView before = sm.localRow("u", 1);
    byte[] digestBefore = sm.stateDigest();
    assertThat(reason(apply(sm, s1))).isEqualTo(RejectReason.STALE_SEQUENCE);
    assertThat(sm.localRow("u", 1)).isEqualTo(before);
    assertThat(before.fleetAttempts()).isEqualTo(LedgerStateMachine.RECENT + 2);
    assertThat(sm.stateDigest()).isEqualTo(digestBefore);
  }

  @Test
  void replay_oldSignedAttemptOfPastGeneration_refusedAsStaleGeneration() {
    LedgerStateMachine sm = registeredAll(3);
    byte[] aid = rnd(32);
    run(sm, 1, att(1, 1, 1, aid));
    run(sm, 1, suc(1, 1, 1, aid));
    run(sm, 2, suc(2, 1, 1, aid));
    // the edge kept the old phase-1 envelope: the member re-signs it with a fresh sequence, same
    // generation 1
    assertThat(reason(run(sm, 1, att(1, 1, 1, aid)))).isEqualTo(RejectReason.STALE_GENERATION);
    assertThat(reason(run(sm, 3, suc(3, 1, 1, aid)))).isEqualTo(RejectReason.NOT_COUNTED);
    assertThat(sm.localRow("u", 1).fleetAttempts()).isZero();
    assertThat(sm.localRow("u", 1).generation()).isEqualTo(2);
  }

  // ------------------------------------------------------------------ fleet-wide counting

  @Test
  void attempt_differentIdsAcrossMembers_countedOnceForTheFleet() {
    LedgerStateMachine sm = registeredAll(3);
    assertThat(run(sm, 1, att(1, 1, 1, rnd(32))).value().allowed()).isTrue();
    assertThat(run(sm, 2, att(2, 1, 1, rnd(32))).value().allowed()).isTrue();
    CommandOutcome third = run(sm, 3, att(3, 1, 1, rnd(32))).value();
    assertThat(third.allowed()).isTrue();
    assertThat(third.row().guessesRemaining())
        .as("the fleet's third id used member 3's last guess")
        .isZero();
    CommandOutcome fourth = run(sm, 1, att(1, 1, 1, rnd(32))).value();
    assertThat(fourth.allowed())
        .as("a 4th distinct id through another member is refused")
        .isFalse();
    assertThat(fourth.destroyed())
        .as("a refused new guess does not destroy the share the counted ones need")
        .isFalse();
    for (int m = 1; m <= 3; m++) assertThat(sm.localRow("u", m).fleetAttempts()).isEqualTo(3);
  }

  /**
   * Guesses are not wasted: after the fleet's count is full, a storm of new guesses is refused
   * without destroying any share, every counted guess can still be evaluated by every member, and a
   * member's share is destroyed exactly when it has been granted every counted guess.
   */
  @Test
  void attempt_newGuessesAfterCountFull_refusedAndCountedOnesStillEvaluatedEverywhere() {
    LedgerStateMachine sm = registeredAll(2);
    byte[] a = rnd(32), b = rnd(32);
    assertThat(run(sm, 1, att(1, 1, 1, a)).value().allowed()).isTrue();
    assertThat(run(sm, 2, att(2, 1, 1, b)).value().allowed()).isTrue();
    for (int i = 0; i < 20; i++) {
      int m = 1 + i % 3;
      CommandOutcome o = run(sm, m, att(m, 1, 1, rnd(32))).value();
      assertThat(o.allowed()).isFalse();
      assertThat(o.destroyed()).isFalse();
    }
    for (int m = 1; m <= 3; m++)
      assertThat(sm.localRow("u", m).state()).isEqualTo(RowState.REGISTERED);
    for (int m = 1; m <= 3; m++) {
      CommandOutcome first = run(sm, m, att(m, 1, 1, m == 1 ? a : b)).value();
      assertThat(first.allowed()).isTrue();
      CommandOutcome second = run(sm, m, att(m, 1, 1, m == 1 ? b : a)).value();
      assertThat(second.allowed()).isTrue();
      assertThat(second.destroyed()).as("member " + m + " evaluated both counted guesses").isTrue();
      assertThat(second.row().state()).isEqualTo(RowState.NO_GUESSES);
    }
    for (int m = 1; m <= 3; m++) assertThat(sm.localRow("u", m).fleetAttempts()).isEqualTo(2);
  }

  @Test
  void attempt_sameIdAtEveryMemberAndRetried_countedOnce() {
    LedgerStateMachine sm = registeredAll(3);
    byte[] aid = rnd(32);
    for (int m = 1; m <= 3; m++)
      assertThat(run(sm, m, att(m, 1, 1, aid)).value().allowed()).isTrue();
    assertThat(run(sm, 2, att(2, 1, 1, aid)).value().allowed())
        .as("a retry of a counted id is granted")
        .isTrue();
    assertThat(sm.localRow("u", 2).fleetAttempts()).isEqualTo(1);
    assertThat(sm.localRow("u", 2).guessesRemaining()).isEqualTo(2);
  }

  @Test
  void attempt_countedIdAfterSetFull_grantedAndRowDestroyed() {
    LedgerStateMachine sm = registeredAll(2);
    byte[] a = rnd(32), b = rnd(32);
    run(sm, 1, att(1, 1, 1, a));
    run(sm, 1, att(1, 1, 1, b));
    CommandOutcome o = run(sm, 2, att(2, 1, 1, a)).value();
    assertThat(o.allowed()).isTrue();
    assertThat(o.destroyed()).as("member 2 has not yet evaluated b").isFalse();
    o = run(sm, 2, att(2, 1, 1, b)).value();
    assertThat(o.allowed()).isTrue();
    assertThat(o.destroyed()).isTrue();
    assertThat(o.row().state()).isEqualTo(RowState.NO_GUESSES);
    assertThat(o.row().recordDigest()).isEmpty();
  }

  @Test
  void attempt_wrongGeneration_staleGenerationNoChange() {
    LedgerStateMachine sm = registeredAll(3);
    byte[] before = sm.stateDigest();
    assertThat(reason(run(sm, 1, att(1, 1, 2, rnd(32))))).isEqualTo(RejectReason.STALE_GENERATION);
    assertThat(sm.stateDigest()).isEqualTo(before);
  }

  @Test
  void attempt_wrongVersionOrDigest_versionMismatchNoChange() {
    LedgerStateMachine sm = registeredAll(3);
    byte[] before = sm.stateDigest();
    assertThat(reason(run(sm, 1, att(1, 2, 1, rnd(32))))).isEqualTo(RejectReason.VERSION_MISMATCH);
    byte[] otherDigest =
        sign(k[0], LedgerCommand.attempt(E, 1, "u", seq[1] + 1, rnd(16), 1, rnd(32), 1, rnd(32)));
    assertThat(reason(apply(sm, otherDigest))).isEqualTo(RejectReason.VERSION_MISMATCH);
    assertThat(sm.stateDigest()).isEqualTo(before);
  }

  @Test
  void attempt_notRegistered_refusedWithState() {
    LedgerStateMachine sm = fresh();
    CommandOutcome o = run(sm, 1, att(1, 1, 1, rnd(32))).value();
    assertThat(o.allowed()).isFalse();
    assertThat(o.row().state()).isEqualTo(RowState.NOT_REGISTERED);
  }

  @Test
  void succeed_tOfN_resetsCountAndAdvancesGeneration() {
    LedgerStateMachine sm = registeredAll(3);
    byte[] aid = rnd(32);
    run(sm, 1, att(1, 1, 1, aid));
    run(sm, 2, att(2, 1, 1, rnd(32)));
    CommandOutcome one = run(sm, 1, suc(1, 1, 1, aid)).value();
    assertThat(one.counterReset()).isFalse();
    assertThat(run(sm, 1, suc(1, 1, 1, aid)).value().counterReset())
        .as("idempotent for the same member")
        .isFalse();
    CommandOutcome two = run(sm, 3, suc(3, 1, 1, aid)).value();
    assertThat(two.counterReset()).isTrue();
    for (int m = 1; m <= 3; m++) {
      assertThat(sm.localRow("u", m).generation()).isEqualTo(2);
      assertThat(sm.localRow("u", m).guessesRemaining()).isEqualTo(3);
    }
  }

  @Test
  void succeed_oneMemberOnly_doesNotReset() {
    LedgerStateMachine sm = registeredAll(3);
    byte[] aid = rnd(32);
    run(sm, 1, att(1, 1, 1, aid));
    run(sm, 1, att(1, 1, 1, rnd(32)));
    assertThat(run(sm, 1, suc(1, 1, 1, aid)).value().counterReset()).isFalse();
    assertThat(sm.localRow("u", 2).fleetAttempts()).isEqualTo(2);
    assertThat(sm.localRow("u", 2).generation()).isEqualTo(1);
  }

  @Test
  void succeed_idNeverCounted_notCounted() {
    LedgerStateMachine sm = registeredAll(3);
    assertThat(reason(run(sm, 1, suc(1, 1, 1, rnd(32))))).isEqualTo(RejectReason.NOT_COUNTED);
  }

  // ------------------------------------------------------------------ registrations

  @Test
  void register_olderVersion_rejected() {
    LedgerStateMachine sm = fresh();
    run(sm, 1, reg(1, 5, 2));
    assertThat(reason(run(sm, 1, reg(1, 5, 9)))).isEqualTo(RejectReason.VERSION_NOT_NEWER);
  }

  @Test
  void register_versionAbove2pow53_refusedBeforeSigning() {
    assertThatThrownBy(
            () -> LedgerCommand.register(E, 1, "u", 1, rnd(16), Long.MAX_VALUE, rnd(32), 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                LedgerCommand.register(
                    E, 1, "u", 1, rnd(16), LedgerCommand.MAX_RECORD_VERSION + 1, rnd(32), 3))
        .isInstanceOf(IllegalArgumentException.class);
    // hand-crafted canonical bytes with version 2^63-1, signed by the owner: do not parse, no
    // effect
    byte[] canonical =
        LedgerCommand.register(E, 1, "u", 1, rnd(16), 1, rnd(32), 3).canonicalBytes();
    int versionAt = LedgerCommand.DOMAIN_TAG.length + 1 + 8 + 1 + 2 + 1 + 8 + 16;
    java.nio.ByteBuffer.wrap(canonical).putLong(versionAt, Long.MAX_VALUE);
    LedgerStateMachine sm = fresh();
    byte[] sig;
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(k[0].getPrivate());
      s.update(canonical);
      sig = s.sign();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    byte[] entry = Entries.memberCommand(new SignedCommand(canonical, sig).encode());
    assertThat(reason(apply(sm, entry))).isEqualTo(RejectReason.MALFORMED);
    assertThat(sm.rowCount()).isZero();
    // the largest allowed version works, and a later one cannot overflow
    assertThat(run(sm, 1, reg(1, LedgerCommand.MAX_RECORD_VERSION, 3)).isCommitted()).isTrue();
  }

  @Test
  void register_newVersionEverywhere_oldRegistrationDropped() {
    LedgerStateMachine sm = registeredAll(3);
    run(sm, 1, att(1, 1, 1, rnd(32)));
    assertThat(sm.registrationCount()).isEqualTo(1);
    for (int m = 1; m <= 3; m++) run(sm, m, reg(m, 2, 3));
    assertThat(sm.registrationCount()).isEqualTo(1);
    assertThat(sm.localRow("u", 1).fleetAttempts()).isZero();
    assertThat(sm.localRow("u", 1).generation()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ snapshots

  @Test
  void snapshot_roundTrip_identicalDigestAndBehaviour() throws Exception {
    LedgerStateMachine sm = registeredAll(3);
    byte[] aid = rnd(32);
    run(sm, 1, att(1, 1, 1, aid));
    run(sm, 1, suc(1, 1, 1, aid));
    run(sm, 2, suc(2, 1, 1, aid));
    run(sm, 3, att(3, 1, 2, rnd(32)));
    run(sm, 2, suc(2, 1, 2, rnd(32))); // rejected, not counted
    LedgerStateMachine copy = fresh();
    load(copy, snapshot(sm));
    assertThat(copy.stateDigest()).isEqualTo(sm.stateDigest());
    assertThat(copy.localRow("u", 2)).isEqualTo(sm.localRow("u", 2));
    byte[] next = att(1, 1, 2, rnd(32));
    assertThat(apply(copy, next)).isEqualTo(apply(sm, next));
    assertThat(copy.stateDigest()).isEqualTo(sm.stateDigest());
  }

  /**
   * Builds a replica at attempts 2/3 and a copy that is behind; the crafted snapshot is a mutation
   * of the truth.
   */
  private void assertCraftedRefused(Consumer<LedgerStateMachine> mutate, String expected)
      throws Exception {
    LedgerStateMachine honest = registeredAll(3);
    run(honest, 1, att(1, 1, 1, rnd(32)));
    run(honest, 2, att(2, 1, 1, rnd(32)));
    LedgerStateMachine forger = fresh();
    load(forger, snapshot(honest));
    mutate.accept(forger);
    byte[] crafted = snapshot(forger);
    byte[] before = honest.stateDigest();
    RowView row = honest.localRow("u", 1);
    assertThat(honest.refusalOf(new DataInputStream(new ByteArrayInputStream(crafted))))
        .isNotNull()
        .contains(expected);
    assertThatThrownBy(() -> load(honest, crafted))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(expected);
    assertThat(honest.stateDigest()).isEqualTo(before);
    assertThat(honest.localRow("u", 1)).isEqualTo(row);
    assertThat(row.fleetAttempts()).isEqualTo(2);
  }

  @Test
  void snapshot_droppedAttempt_refused() throws Exception {
    assertCraftedRefused(
        f -> f.regs.firstEntry().getValue().counted.pollFirstEntry(), "fewer counted attempts");
  }

  @Test
  void snapshot_loweredAttemptsAndRaisedLimit_refused() throws Exception {
    // moves member 1's row from 2/3 to 0/100: the signed REGISTER says 3, so the row is not backed
    assertCraftedRefused(
        f -> {
          f.regs.firstEntry().getValue().counted.clear();
          f.rows.firstEntry().getValue().guessLimit = 100;
        },
        "REGISTER");
  }

  @Test
  void snapshot_forgedSignature_refused() throws Exception {
    assertCraftedRefused(
        f -> {
          var counted = f.regs.firstEntry().getValue().counted.firstEntry().getValue();
          counted.attempt[counted.attempt.length - 5] ^= 1; // inside the DER signature
        },
        "signature");
  }

  @Test
  void snapshot_forgedRegisterThatIsAlsoLatestCommand_refused() throws Exception {
    // a freshly registered row carries one envelope as both its latest command and its REGISTER;
    // the
    // snapshot reader verifies it once, and that once must still refuse a forged signature
    LedgerStateMachine forger = fresh();
    load(forger, snapshot(registeredAll(3)));
    LedgerStateMachine.Row row = forger.rows.firstEntry().getValue();
    byte[] forged = row.lastCommand.clone();
    forged[forged.length - 5] ^= 1; // inside the DER signature
    row.lastCommand = forged;
    row.registerCommand = forged.clone();
    byte[] crafted = snapshot(forger);
    LedgerStateMachine target = fresh();

    assertThat(target.refusalOf(new DataInputStream(new ByteArrayInputStream(crafted))))
        .contains("signature");
    assertThatThrownBy(() -> load(target, crafted))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("signature");
    assertThat(target.rowCount()).isZero();
  }

  @Test
  void snapshot_lowerSequenceFromOldState_refused() throws Exception {
    LedgerStateMachine honest = registeredAll(3);
    byte[] old = snapshot(honest);
    run(honest, 1, att(1, 1, 1, rnd(32)));
    byte[] before = honest.stateDigest();
    assertThatThrownBy(() -> load(honest, old))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("lower sequence");
    assertThat(honest.stateDigest()).isEqualTo(before);
  }

  @Test
  void snapshot_rowBackFromNoGuessesAtSameVersion_refused() throws Exception {
    LedgerStateMachine honest = registeredAll(1);
    byte[] old = snapshot(honest);
    assertThat(run(honest, 1, att(1, 1, 1, rnd(32))).value().destroyed()).isTrue();
    assertThatThrownBy(() -> load(honest, old)).isInstanceOf(IOException.class);
    assertThat(honest.localRow("u", 1).state()).isEqualTo(RowState.NO_GUESSES);
  }

  @Test
  void snapshot_aheadOfThisReplica_installed() throws Exception {
    LedgerStateMachine leader = registeredAll(3);
    LedgerStateMachine behind = fresh();
    load(behind, snapshot(leader));
    run(leader, 1, att(1, 1, 1, rnd(32)));
    run(leader, 2, reg(2, 4, 9));
    load(behind, snapshot(leader));
    assertThat(behind.stateDigest()).isEqualTo(leader.stateDigest());
  }
}
