package dev.fleetvault.protocol.flow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.*;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole protocol in memory: a client and 3 (and 5) members, a stand-in ledger per member, no
 * network. Uses the cheap Argon2id test parameter set.
 */
class FlowEndToEndTest {
  private static final byte[] USER = "alice@example".getBytes(UTF_8);
  private static final byte[] PIN = "1234".getBytes(UTF_8);
  private static final byte[] WRONG = "9999".getBytes(UTF_8);
  private static final byte[] SECRET = "a 32-byte backup key, for real!!".getBytes(UTF_8);

  private static InMemoryFleet fleet(int n, String seed) {
    return new InMemoryFleet(n, new DeterministicRandom(seed + n));
  }

  private static byte[] recovered(RecoverResult r) {
    assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
    return ((RecoverResult.Recovered) r).secret().copy();
  }

  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {3, 5})
  void recover_rightPin_returnsSecretByteForByte(int n) {
    InMemoryFleet f = fleet(n, "right");
    RegisterResult reg = f.register(USER, PIN, SECRET, 5);
    assertThat(reg)
        .isEqualTo(
            new RegisterResult.Registered(
                1,
                f.realm.size() == 3 ? java.util.Set.of(1, 2, 3) : java.util.Set.of(1, 2, 3, 4, 5)));
    assertThat(recovered(f.recover(USER, PIN))).isEqualTo(SECRET);
    // and again: a success resets the counter, nothing is used up
    assertThat(recovered(f.recover(USER, PIN))).isEqualTo(SECRET);
    assertThat(f.counted(USER)).isZero();
  }

  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {3, 5})
  void recover_wrongPin_decrementsGuesses(int n) {
    InMemoryFleet f = fleet(n, "wrong");
    f.register(USER, PIN, SECRET, 5);
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(4));
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(3));
    assertThat(recovered(f.recover(USER, PIN))).isEqualTo(SECRET);
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(4));
  }

  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {3, 5})
  void recover_limitReached_noGuessesAndRecordsGone(int n) {
    InMemoryFleet f = fleet(n, "limit");
    f.register(USER, PIN, SECRET, 3);
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(2));
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(1));
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(0));
    for (InMemoryFleet.Node node : f.nodes) {
      assertThat(node.store).isEmpty();
      assertThat(f.row(node.index, USER).state).isEqualTo(LedgerRow.State.NO_GUESSES);
    }
    assertThat(f.recover(USER, PIN)).isEqualTo(new RecoverResult.NoGuesses());
  }

  @Test
  void recover_rightPinOnLastGuess_recoveredButRecordsGone() {
    InMemoryFleet f = fleet(3, "lastright");
    f.register(USER, PIN, SECRET, 2);
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(1));
    // the command that counted the last guess destroyed the records (DESIGN: "destroys its record
    // share in the same command"); the node finishes that one attempt from memory
    assertThat(recovered(f.recover(USER, PIN))).isEqualTo(SECRET);
    for (InMemoryFleet.Node node : f.nodes) {
      assertThat(node.store).isEmpty();
      assertThat(node.finals).isEmpty();
    }
    assertThat(f.recover(USER, PIN)).isEqualTo(new RecoverResult.NoGuesses());
  }

  @Test
  void recover_lastGuessNeverFinished_nextAttemptRefusedAndRecordsDestroyed() {
    InMemoryFleet f = fleet(3, "skip2");
    f.register(USER, PIN, SECRET, 1);
    // an attacker runs phase 1 with the only guess and never sends phase 2
    Recovery rec =
        Recovery.begin(f.realm, InMemoryFleet.APP_ID, USER, SecretBytes.copyOf(WRONG), f.random);
    RecoveryStep<Recover1Request> s1 = rec.afterRecover0(f.call(rec.recover0Request()));
    rec.afterRecover1(f.call(((RecoveryStep.Send<Recover1Request>) s1).request()));
    // the next attempt, even with the right PIN, finds the counter at the limit
    assertThat(f.recover(USER, PIN)).isEqualTo(new RecoverResult.NoGuesses());
    for (InMemoryFleet.Node node : f.nodes) {
      assertThat(node.store).isEmpty();
    }
  }

  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {3, 5})
  void recover_oneMemberAnswersGarbage_detectedByProofAndNoExtraGuess(int n) {
    InMemoryFleet f = fleet(n, "garbage");
    f.register(USER, PIN, SECRET, 5);
    f.corruptKeyShare(2, USER);
    Recovery rec =
        Recovery.begin(f.realm, InMemoryFleet.APP_ID, USER, SecretBytes.copyOf(PIN), f.random);
    assertThat(recovered(f.recover(rec))).isEqualTo(SECRET);
    assertThat(rec.flaggedMembers()).containsExactly(2);
    // the counter (the faulty member's tag was right too) is back to zero
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(4));
  }

  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {3, 5})
  void recover_everySetOfUpToNMinusTMembersDown_succeeds(int n) {
    InMemoryFleet f = fleet(n, "subsets");
    f.register(USER, PIN, SECRET, WireLimits.MAX_GUESS_LIMIT);
    int t = f.realm.threshold();
    int checked = 0;
    for (int mask = 0; mask < (1 << n); mask++) {
      if (Integer.bitCount(mask) > n - t) {
        continue;
      }
      f.down.clear();
      for (int i = 1; i <= n; i++) {
        if ((mask & (1 << (i - 1))) != 0) {
          f.down.add(i);
        }
      }
      assertThat(recovered(f.recover(USER, PIN))).as("down %s", f.down).isEqualTo(SECRET);
      checked++;
    }
    assertThat(checked).isEqualTo(n == 3 ? 4 : 16);
  }

  @Test
  void edge_neverSeesPinSecretSharesOrTags() {
    InMemoryFleet f = fleet(3, "edge");
    byte[] pin = "735193".getBytes(UTF_8);
    f.register(USER, pin, SECRET, 5);
    assertThat(f.recover(USER, WRONG)).isInstanceOf(RecoverResult.WrongPin.class);
    assertThat(recovered(f.recover(USER, pin))).isEqualTo(SECRET);
    f.delete(USER);
    List<byte[]> secrets = new ArrayList<>(List.of(pin, SECRET));
    for (InMemoryFleet.Node node : f.nodes) {
      // what each member stored (read before the delete would be gone: re-register to read it)
      secrets.add(node.hpke.privateKey().encode());
    }
    f.register(USER, pin, SECRET, 5);
    for (InMemoryFleet.Node node : f.nodes) {
      MemberRecord r = MemberRecords.decode(f.record(node.index, USER));
      secrets.add(r.getOprfKeyShare().toByteArray());
      secrets.add(r.getUnlockTag().toByteArray());
      secrets.add(r.getMaskedDataShare().toByteArray());
      secrets.add(r.getRegistrationSalt().toByteArray());
    }
    assertThat(f.edgeSaw).hasSizeGreaterThan(10);
    int scanned = 0;
    for (byte[] seen : f.edgeSaw) {
      for (byte[] s : secrets) {
        assertThat(indexOf(seen, s))
            .as("a secret value crossed the edge in plaintext")
            .isNegative();
      }
      scanned += seen.length;
    }
    assertThat(scanned).isGreaterThan(5000);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void recover_memberDown_stillSucceedsWithThreshold() {
    InMemoryFleet f = fleet(5, "down");
    f.register(USER, PIN, SECRET, 5);
    f.down.add(1);
    f.down.add(4);
    assertThat(recovered(f.recover(USER, PIN))).isEqualTo(SECRET);
    f.down.add(5);
    assertThatThrownBy(() -> f.recover(USER, PIN)).isInstanceOf(InsufficientAnswersException.class);
  }

  @Test
  void recover_memberDisagreesInPhase0_flaggedAndExcluded() {
    InMemoryFleet f = fleet(3, "disagree");
    f.register(USER, PIN, SECRET, 5);
    // member 3's record is re-registered with another salt by someone else (store + ledger of one
    // member)
    InMemoryFleet.Node n3 = f.node(3);
    InMemoryFleet.Row row = f.row(3, USER);
    MemberRecord r = MemberRecords.decode(f.record(3, USER));
    byte[] bad =
        r.toBuilder().setRegistrationSalt(ByteString.copyFrom(new byte[32])).build().toByteArray();
    n3.store.put(n3.storeKey(InMemoryFleet.key(USER), row.version), bad);
    row.digest = MemberRecords.digest(bad);
    Recovery rec =
        Recovery.begin(f.realm, InMemoryFleet.APP_ID, USER, SecretBytes.copyOf(PIN), f.random);
    assertThat(recovered(f.recover(rec))).isEqualTo(SECRET);
    assertThat(rec.flaggedMembers()).containsExactly(3);
  }

  @Test
  void recover0_noMajorityOnOneRegistration_unavailableNotNotRegistered() {
    InMemoryFleet f = fleet(3, "split");
    f.register(USER, PIN, SECRET, 5);
    // member 3 deleted, member 2 down: one OK, one NOT_REGISTERED, one missing
    f.row(3, USER).state = LedgerRow.State.DELETED;
    f.down.add(2);
    assertThatThrownBy(() -> f.recover(USER, PIN)).isInstanceOf(InsufficientAnswersException.class);
    f.down.clear();
    assertThat(recovered(f.recover(USER, PIN))).isEqualTo(SECRET);
  }

  @Test
  void recover_notRegistered_andAfterDelete_notRegistered() {
    InMemoryFleet f = fleet(3, "del");
    assertThat(f.recover(USER, PIN)).isEqualTo(new RecoverResult.NotRegistered());
    f.register(USER, PIN, SECRET, 5);
    DeleteResult d = f.delete(USER);
    assertThat(d.isComplete()).isTrue();
    assertThat(d.confirmed()).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(f.recover(USER, PIN)).isEqualTo(new RecoverResult.NotRegistered());
    for (InMemoryFleet.Node node : f.nodes) {
      assertThat(node.store).isEmpty();
    }
    // re-registering after deletion works and takes a higher version
    assertThat(f.register(USER, PIN, SECRET, 5))
        .isInstanceOf(RegisterResult.Registered.class)
        .extracting(r -> ((RegisterResult.Registered) r).version())
        .isEqualTo(2L);
    assertThat(recovered(f.recover(USER, PIN))).isEqualTo(SECRET);
  }

  @Test
  void register_again_newVersionReplacesOldSecret() {
    InMemoryFleet f = fleet(3, "rereg");
    f.register(USER, PIN, SECRET, 5);
    byte[] other = "another secret".getBytes(UTF_8);
    assertThat(f.register(USER, "5678".getBytes(UTF_8), other, 5))
        .isEqualTo(new RegisterResult.Registered(2, java.util.Set.of(1, 2, 3)));
    assertThat(recovered(f.recover(USER, "5678".getBytes(UTF_8)))).isEqualTo(other);
    assertThat(f.recover(USER, PIN)).isEqualTo(new RecoverResult.WrongPin(4));
  }

  @Test
  void register2_replayedAfterGuesses_doesNotResetCounter() {
    InMemoryFleet f = fleet(3, "replayreg");
    Registration reg =
        Registration.begin(
            f.realm,
            InMemoryFleet.APP_ID,
            USER,
            SecretBytes.copyOf(PIN),
            SecretBytes.copyOf(SECRET),
            5,
            f.random);
    Register2Request r2 = reg.register2Request(f.call(reg.register1Request()));
    reg.finish(f.call(r2));
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(4));
    // the edge replays the captured register2: an exact retry, answered OK, counter unchanged
    Register2Response replay = f.call(r2);
    assertThat(replay.getResultsList()).allMatch(MemberResult::hasAnswer);
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(3));
  }

  @Test
  void recover2_replayedOldEnvelope_cannotResetCounter() {
    InMemoryFleet f = fleet(3, "replay2");
    f.register(USER, PIN, SECRET, 5);
    Recovery rec =
        Recovery.begin(f.realm, InMemoryFleet.APP_ID, USER, SecretBytes.copyOf(PIN), f.random);
    RecoveryStep<Recover1Request> s1 = rec.afterRecover0(f.call(rec.recover0Request()));
    RecoveryStep<Recover2Request> s2 =
        rec.afterRecover1(f.call(((RecoveryStep.Send<Recover1Request>) s1).request()));
    Recover2Request captured = ((RecoveryStep.Send<Recover2Request>) s2).request();
    assertThat(recovered(rec.afterRecover2(f.call(captured)))).isEqualTo(SECRET);
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(4));
    // the attacker replays the old, correct phase-2 envelopes: the ledger refuses succeed, nothing
    // is released
    Recover2Response replay = f.call(captured);
    assertThat(replay.getResultsList()).noneMatch(MemberResult::hasAnswer);
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(3));
  }

  @Test
  void recover1_replayedEnvelope_sameAttemptNotCountedTwice() {
    InMemoryFleet f = fleet(3, "replay1");
    f.register(USER, PIN, SECRET, 5);
    Recovery rec =
        Recovery.begin(f.realm, InMemoryFleet.APP_ID, USER, SecretBytes.copyOf(WRONG), f.random);
    RecoveryStep<Recover1Request> s1 = rec.afterRecover0(f.call(rec.recover0Request()));
    Recover1Request r1 = ((RecoveryStep.Send<Recover1Request>) s1).request();
    f.call(r1);
    f.call(r1);
    f.call(r1);
    assertThat(f.counted(USER)).isEqualTo(1);
  }

  @Test
  void envelopes_swappedBetweenMembersPhasesOrUsers_refused() {
    InMemoryFleet f = fleet(3, "swap");
    f.register(USER, PIN, SECRET, 5);
    Recovery rec =
        Recovery.begin(f.realm, InMemoryFleet.APP_ID, USER, SecretBytes.copyOf(PIN), f.random);
    Recover0Request r0 = rec.recover0Request();
    SealedRequest e1 = r0.getRequests(0);
    SealedRequest e2 = r0.getRequests(1);
    ByteString u = ByteString.copyFrom(USER);
    // member 1's envelope relabelled for member 2
    assertThatThrownBy(
            () ->
                f.node(2)
                    .handle(
                        Phase.PHASE_RECOVER0,
                        EdgeMessages.toMember(u, e1.toBuilder().setMember(2).build())))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("does not open");
    // member 1's envelope sent to member 2 under its own label
    assertThatThrownBy(() -> f.node(2).handle(Phase.PHASE_RECOVER0, EdgeMessages.toMember(u, e1)))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("addressed to member 1");
    // another user's request
    assertThatThrownBy(
            () ->
                f.node(2)
                    .handle(
                        Phase.PHASE_RECOVER0,
                        EdgeMessages.toMember(ByteString.copyFromUtf8("mallory"), e2)))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("does not open");
    // another phase's rpc
    assertThatThrownBy(() -> f.node(2).handle(Phase.PHASE_RECOVER1, EdgeMessages.toMember(u, e2)))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("does not open");
    // answers swapped between members at the edge are refused by the client, not trusted
    Recover0Response resp = f.call(r0);
    List<MemberResult> swapped = new ArrayList<>(resp.getResultsList());
    SealedAnswer a1 = swapped.get(0).getAnswer();
    SealedAnswer a2 = swapped.get(1).getAnswer();
    swapped.set(
        0, MemberResult.newBuilder().setMember(1).setAnswer(a2.toBuilder().setMember(1)).build());
    swapped.set(
        1, MemberResult.newBuilder().setMember(2).setAnswer(a1.toBuilder().setMember(2)).build());
    Recover0Response tampered = resp.toBuilder().clearResults().addAllResults(swapped).build();
    assertThatThrownBy(() -> rec.afterRecover0(tampered))
        .isInstanceOf(InsufficientAnswersException.class);
  }

  @Test
  void recover1_invalidPointInsideEnvelope_badRequestAndNothingCounted() {
    InMemoryFleet f = fleet(3, "badpoint");
    f.register(USER, PIN, SECRET, 5);
    ByteString u = ByteString.copyFrom(USER);
    byte[] notOnCurve = new byte[33];
    java.util.Arrays.fill(notOnCurve, (byte) 0xff);
    notOnCurve[0] = 0x02; // x = 2^256 - 1 >= p: not a field element, so no point
    Recover1Payload p =
        Recover1Payload.newBuilder()
            .setRecordVersion(1)
            .setGeneration(1)
            .setBlindedElement(ByteString.copyFrom(notOnCurve))
            .setNonce(ByteString.copyFrom(new byte[32]))
            .build();
    SealedRequest env =
        dev.fleetvault.protocol.flow.parts.Envelopes.seal(
                f.realm.member(1).hpkePublicKey(),
                1,
                Phase.PHASE_RECOVER1,
                InMemoryFleet.FLEET_ID,
                InMemoryFleet.APP_ID,
                USER,
                p,
                f.random)
            .request();
    assertThatThrownBy(() -> f.node(1).handle(Phase.PHASE_RECOVER1, EdgeMessages.toMember(u, env)))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("blinded element");
    assertThat(f.counted(USER)).isZero();
    // an enc that is not a point never reaches the HSM
    SealedRequest badEnc = env.toBuilder().setEnc(ByteString.copyFrom(new byte[65])).build();
    assertThatThrownBy(() -> f.node(1).logic.encForHsm(EdgeMessages.toMember(u, badEnc)))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("not a valid P-256 point");
  }

  @Test
  void register2_shareNotMatchingCommitment_badRequest() {
    InMemoryFleet f = fleet(3, "badshare");
    Registration reg =
        Registration.begin(
            f.realm,
            InMemoryFleet.APP_ID,
            USER,
            SecretBytes.copyOf(PIN),
            SecretBytes.copyOf(SECRET),
            5,
            f.random);
    reg.register2Request(f.call(reg.register1Request()));
    Register2Payload p =
        Register2Payload.newBuilder()
            .setRecordVersion(1)
            .setThreshold(2)
            .setMembers(3)
            .setGuessLimit(5)
            .setPinParams(f.realm.pinParams())
            .setRegistrationSalt(ByteString.copyFrom(new byte[32]))
            .setOprfKeyShare(ByteString.copyFrom(dev.fleetvault.protocol.group.Scalar.ONE.encode()))
            .addCommitments(
                ByteString.copyFrom(
                    dev.fleetvault.protocol.group.GroupElement.generator()
                        .multiply(dev.fleetvault.protocol.group.Scalar.ofLong(3))
                        .encodeCompressed()))
            .addCommitments(
                ByteString.copyFrom(
                    dev.fleetvault.protocol.group.GroupElement.generator()
                        .multiply(dev.fleetvault.protocol.group.Scalar.ofLong(2))
                        .encodeCompressed()))
            .addCommitments(
                ByteString.copyFrom(
                    dev.fleetvault.protocol.group.GroupElement.generator().encodeCompressed()))
            .setMaskedDataShare(ByteString.copyFrom(new byte[32]))
            .setUnlockTag(ByteString.copyFrom(new byte[32]))
            .setSecretCiphertext(ByteString.copyFrom(new byte[40]))
            .build();
    SealedRequest env =
        dev.fleetvault.protocol.flow.parts.Envelopes.seal(
                f.realm.member(1).hpkePublicKey(),
                1,
                Phase.PHASE_REGISTER2,
                InMemoryFleet.FLEET_ID,
                InMemoryFleet.APP_ID,
                USER,
                p,
                f.random)
            .request();
    assertThatThrownBy(
            () ->
                f.node(1)
                    .handle(
                        Phase.PHASE_REGISTER2,
                        EdgeMessages.toMember(ByteString.copyFrom(USER), env)))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("does not match its commitment");
    assertThat(f.node(1).store).isEmpty();
  }

  @Test
  void flows_calledOutOfOrder_illegalState() {
    InMemoryFleet f = fleet(3, "order");
    Recovery rec =
        Recovery.begin(f.realm, InMemoryFleet.APP_ID, USER, SecretBytes.copyOf(PIN), f.random);
    assertThatThrownBy(() -> rec.afterRecover0(Recover0Response.getDefaultInstance()))
        .isInstanceOf(IllegalStateException.class);
    Registration reg =
        Registration.begin(
            f.realm,
            InMemoryFleet.APP_ID,
            USER,
            SecretBytes.copyOf(PIN),
            SecretBytes.copyOf(SECRET),
            5,
            f.random);
    reg.register1Request();
    assertThatThrownBy(reg::register1Request).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void recoverResult_toString_neverShowsSecret() {
    RecoverResult r = new RecoverResult.Recovered(SecretBytes.copyOf(SECRET));
    assertThat(r.toString()).doesNotContain(new String(SECRET, UTF_8)).contains("32 bytes");
  }

  /**
   * Property: every member and the client compute the same attempt id for one guess (one nonce, one
   * B).
   */
  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {3, 5})
  void attemptId_sameAtEveryMemberAndTheClient(int n) {
    InMemoryFleet f = fleet(n, "attemptid");
    f.register(USER, PIN, SECRET, 5);
    Recovery rec =
        Recovery.begin(f.realm, InMemoryFleet.APP_ID, USER, SecretBytes.copyOf(WRONG), f.random);
    assertThat(f.recover(rec)).isEqualTo(new RecoverResult.WrongPin(4));
    ByteString id = ByteString.copyFrom(rec.attemptId());
    for (InMemoryFleet.Node node : f.nodes) {
      assertThat(node.evaluated).containsExactly(id);
    }
    assertThat(f.counted(USER)).isEqualTo(1);
  }

  /**
   * Property (fleet-wide counting): sending each wrong guess to a different t-subset of the members
   * gives exactly L evaluated attempts and L WrongPin answers, then NoGuesses.
   */
  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {3, 5})
  void recover_rotatingThresholdSubsets_exactlyLEvaluations(int n) {
    int limit = 4;
    InMemoryFleet f = fleet(n, "rotate");
    f.register(USER, PIN, SECRET, limit);
    int t = f.realm.threshold();
    int wrongPins = 0;
    int noGuesses = 0;
    for (int k = 0; k < 3 * limit; k++) {
      f.down.clear();
      java.util.Set<Integer> subset = new java.util.HashSet<>();
      for (int j = 0; j < t; j++) {
        subset.add((k + j) % n + 1);
      }
      for (int i = 1; i <= n; i++) {
        if (!subset.contains(i)) {
          f.down.add(i);
        }
      }
      RecoverResult r = f.recover(USER, WRONG);
      if (r instanceof RecoverResult.WrongPin) {
        wrongPins++;
      } else {
        assertThat(r).isEqualTo(new RecoverResult.NoGuesses());
        noGuesses++;
      }
    }
    assertThat(f.evaluatedAttempts).hasSize(limit);
    assertThat(wrongPins).isEqualTo(limit);
    assertThat(noGuesses).isEqualTo(2 * limit);
    f.down.clear();
    assertThat(f.recover(USER, PIN)).isEqualTo(new RecoverResult.NoGuesses());
    assertThat(f.evaluatedAttempts).hasSize(limit);
  }

  /**
   * Property: one member's succeed does not reset the fleet's counter; t members' succeeds for the
   * same attempt do.
   */
  @Test
  void succeed_fromFewerThanTMembers_counterNotReset() {
    InMemoryFleet f = fleet(3, "onesucceed");
    f.register(USER, PIN, SECRET, 5);
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(4));
    Recovery rec =
        Recovery.begin(f.realm, InMemoryFleet.APP_ID, USER, SecretBytes.copyOf(PIN), f.random);
    RecoveryStep<Recover1Request> s1 = rec.afterRecover0(f.call(rec.recover0Request()));
    RecoveryStep<Recover2Request> s2 =
        rec.afterRecover1(f.call(((RecoveryStep.Send<Recover1Request>) s1).request()));
    f.down.add(2);
    f.down.add(3);
    Recover2Response onlyOne = f.call(((RecoveryStep.Send<Recover2Request>) s2).request());
    assertThatThrownBy(() -> rec.afterRecover2(onlyOne))
        .isInstanceOf(InsufficientAnswersException.class);
    assertThat(f.resets).isZero();
    assertThat(f.counted(USER)).isEqualTo(2);
    f.down.clear();
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(2));
    assertThat(recovered(f.recover(USER, PIN))).isEqualTo(SECRET);
    assertThat(f.resets).isEqualTo(1);
    assertThat(f.counted(USER)).isZero();
  }

  /**
   * Property: a phase 1 whose generation went stale (another recovery succeeded after this client's
   * phase 0) is answered VERSION_MISMATCH, costs no guess, and the client re-runs phase 0 and goes
   * on.
   */
  @Test
  void recover1_staleGeneration_restartPhase0NoGuessSpent() {
    InMemoryFleet f = fleet(3, "stalegen");
    f.register(USER, PIN, SECRET, 5);
    Recovery slow =
        Recovery.begin(f.realm, InMemoryFleet.APP_ID, USER, SecretBytes.copyOf(WRONG), f.random);
    RecoveryStep<Recover1Request> s1 = slow.afterRecover0(f.call(slow.recover0Request()));
    assertThat(recovered(f.recover(USER, PIN))).isEqualTo(SECRET); // generation 1 -> 2
    RecoveryStep<Recover2Request> s2 =
        slow.afterRecover1(f.call(((RecoveryStep.Send<Recover1Request>) s1).request()));
    assertThat(s2).isInstanceOf(RecoveryStep.Restart.class);
    assertThat(f.counted(USER)).isZero();
    assertThat(f.recover(slow)).isEqualTo(new RecoverResult.WrongPin(4));
  }

  /**
   * Property: the client takes the generation most agreeing members report; ties go to the higher
   * one.
   */
  @Test
  void majorityGeneration_mostReportedTiesHigher() {
    java.util.Map<Integer, Recover0Reply> replies = new java.util.HashMap<>();
    replies.put(1, Recover0Reply.newBuilder().setGeneration(5).build());
    replies.put(2, Recover0Reply.newBuilder().setGeneration(5).build());
    replies.put(3, Recover0Reply.newBuilder().setGeneration(6).build());
    assertThat(Recovery.majorityGeneration(java.util.Set.of(1, 2, 3), replies)).isEqualTo(5);
    assertThat(Recovery.majorityGeneration(java.util.Set.of(2, 3), replies)).isEqualTo(6);
  }

  /**
   * Property (MAX_RECORD_VERSION): a member reporting current version 2^63 − 1 is ignored and
   * flagged, and the version is 1 + the highest of the others; when the others are at 2^53 − 1 the
   * client refuses with a clear error instead of overflowing.
   */
  @Test
  void register_memberReportsHugeVersion_ignoredFlagged_atMaxClearError() {
    InMemoryFleet f = fleet(3, "hugeversion");
    f.row(3, USER).version = Long.MAX_VALUE; // a compromised member's own row
    Registration reg =
        Registration.begin(
            f.realm,
            InMemoryFleet.APP_ID,
            USER,
            SecretBytes.copyOf(PIN),
            SecretBytes.copyOf(SECRET),
            5,
            f.random);
    Register2Request r2 = reg.register2Request(f.call(reg.register1Request()));
    assertThat(reg.finish(f.call(r2)))
        .isEqualTo(new RegisterResult.Registered(1, java.util.Set.of(1, 2)));
    assertThat(recovered(f.recover(USER, PIN))).isEqualTo(SECRET);

    InMemoryFleet g = fleet(3, "maxversion");
    g.row(1, USER).version = WireLimits.MAX_RECORD_VERSION;
    g.row(2, USER).version = WireLimits.MAX_RECORD_VERSION;
    Registration atMax =
        Registration.begin(
            g.realm,
            InMemoryFleet.APP_ID,
            USER,
            SecretBytes.copyOf(PIN),
            SecretBytes.copyOf(SECRET),
            5,
            g.random);
    Register1Response r1 = g.call(atMax.register1Request());
    assertThatThrownBy(() -> atMax.register2Request(r1))
        .isInstanceOf(FlowException.class)
        .hasMessageContaining("would exceed MAX_RECORD_VERSION");
  }

  /** Property: an edge that tells a member another app than the client's gets nothing opened. */
  @Test
  void edge_liesAboutTheApp_envelopesDoNotOpen() {
    InMemoryFleet f = fleet(3, "lieapp");
    f.register(USER, PIN, SECRET, 5);
    f.appFor = i -> "other-app";
    assertThatThrownBy(() -> f.recover(USER, PIN)).isInstanceOf(InsufficientAnswersException.class);
    f.appFor = i -> InMemoryFleet.APP_ID;
    assertThat(recovered(f.recover(USER, PIN))).isEqualTo(SECRET);
  }

  /**
   * Property (no guess wasted on a restart): when phase 1 is cut short by members whose rows
   * disagree on the generation, the client re-runs phase 0 and, finding the registration unchanged,
   * re-sends the very same guess, so the member that already counted it does not count it again:
   * one guess, one counted attempt.
   */
  @Test
  void recover1_someMembersStale_restartResendsSameGuessCountedOnce() {
    InMemoryFleet f = fleet(3, "samerestart");
    f.register(USER, PIN, SECRET, 5);
    f.node(2).staleRowOnce = true;
    f.node(3).staleRowOnce = true;
    Recovery rec =
        Recovery.begin(f.realm, InMemoryFleet.APP_ID, USER, SecretBytes.copyOf(WRONG), f.random);
    RecoveryStep<Recover1Request> s1 = rec.afterRecover0(f.call(rec.recover0Request()));
    byte[] first = rec.attemptId();
    RecoveryStep<Recover2Request> s2 =
        rec.afterRecover1(f.call(((RecoveryStep.Send<Recover1Request>) s1).request()));
    assertThat(s2).isInstanceOf(RecoveryStep.Restart.class);
    assertThat(f.counted(USER)).isEqualTo(1); // member 1 counted it
    assertThat(f.recover(rec)).isEqualTo(new RecoverResult.WrongPin(4));
    assertThat(rec.attemptId()).isEqualTo(first);
    assertThat(f.counted(USER)).isEqualTo(1);
  }
}
