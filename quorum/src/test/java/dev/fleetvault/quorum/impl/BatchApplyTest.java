package dev.fleetvault.quorum.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.quorum.LedgerCommand;
import dev.fleetvault.quorum.LedgerResult;
import dev.fleetvault.quorum.QuorumMember;
import dev.fleetvault.quorum.RejectReason;
import dev.fleetvault.quorum.RowState;
import dev.fleetvault.quorum.SignedCommand;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit and verification ahead of apply: a batch entry is applied exactly as its entries one
 * by one, whether signatures were verified ahead on the pool, kept from the submit check, or
 * verified inline; a forged signature inside a batch gets the same refusal on every replica and
 * changes nothing; a malformed batch is refused whole.
 */
class BatchApplyTest {
  private static final SecureRandom RND = new SecureRandom();
  private static final long E = 3;
  private final KeyPair[] k = {key(), key(), key()};
  private final List<QuorumMember> members =
      List.of(
          new QuorumMember(1, "127.0.0.1", 1, 2, k[0].getPublic()),
          new QuorumMember(2, "127.0.0.1", 3, 4, k[1].getPublic()),
          new QuorumMember(3, "127.0.0.1", 5, 6, k[2].getPublic()));
  private final List<LedgerStateMachine> machines = new ArrayList<>();

  @AfterEach
  void close() {
    machines.forEach(LedgerStateMachine::close);
  }

  /** A replica that records every answer its listener receives, in order. */
  private record Replica(LedgerStateMachine sm, List<String> answers) {}

  private Replica replica(int verifyThreads) {
    LedgerStateMachine sm =
        new LedgerStateMachine(CommandVerifier.forEpoch(E, members), verifyThreads);
    machines.add(sm);
    List<String> answers = new ArrayList<>();
    sm.listener(
        new LedgerStateMachine.Listener() {
          @Override
          public void commandApplied(int member, byte[] requestId, byte[] answer) {
            answers.add(
                "c"
                    + member
                    + ":"
                    + HexFormat.of().formatHex(requestId)
                    + "="
                    + HexFormat.of().formatHex(answer));
          }

          @Override
          public void readApplied(byte[] nonce, byte[] answer) {
            answers.add(
                "r:" + HexFormat.of().formatHex(nonce) + "=" + HexFormat.of().formatHex(answer));
          }
        });
    return new Replica(sm, answers);
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

  private static byte[] signWith(KeyPair key, LedgerCommand c) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key.getPrivate());
      s.update(c.canonicalBytes());
      return Entries.memberCommand(SignedCommand.of(c, s.sign()).encode());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A realistic mix: registrations, attempts (counted and repeated), a success, a stale sequence, a
   * duplicate, reads.
   */
  private List<byte[]> workload() {
    List<byte[]> out = new ArrayList<>();
    byte[][] digest = {rnd(32), rnd(32), rnd(32)};
    byte[] aid = rnd(32), aid2 = rnd(32);
    for (String user : List.of("alice", "bob")) {
      for (int m = 1; m <= 3; m++)
        out.add(
            signWith(
                k[m - 1], LedgerCommand.register(E, m, user, 1, rnd(16), 1, digest[m - 1], 5)));
      for (int m = 1; m <= 3; m++)
        out.add(
            signWith(
                k[m - 1], LedgerCommand.attempt(E, m, user, 2, rnd(16), 1, digest[m - 1], 1, aid)));
      out.add(Entries.read(user, 2, rnd(16)));
      byte[] dup =
          signWith(k[0], LedgerCommand.attempt(E, 1, user, 3, rnd(16), 1, digest[0], 1, aid2));
      out.add(dup);
      out.add(dup); // same request again
      out.add(
          signWith(
              k[1],
              LedgerCommand.attempt(
                  E, 2, user, 9, rnd(16), 1, digest[1], 1, aid2))); // stale sequence
      for (int m = 1; m <= 2; m++)
        out.add(
            signWith(
                k[m - 1],
                LedgerCommand.succeed(
                    E, m, user, m == 1 ? 4 : 3, rnd(16), 1, digest[m - 1], 1, aid)));
      out.add(Entries.read(user, 1, rnd(16)));
    }
    return out;
  }

  private static void applyEach(LedgerStateMachine sm, List<byte[]> entries) {
    for (byte[] e : entries) sm.apply(e, 0, e.length, true);
  }

  private static void applyBatch(LedgerStateMachine sm, List<byte[]> entries, boolean prefetch) {
    byte[] b = Entries.batch(entries);
    if (prefetch) sm.verdicts().prefetch(b, 0, b.length);
    byte[] answer = sm.apply(b, 0, b.length, true);
    assertThat(answer).containsExactly(Results.OK);
  }

  @Test
  void apply_batchOfCommands_sameStateAndAnswersAsOneByOne() {
    List<byte[]> work = workload();
    Replica seq = replica(0), batched = replica(2), split = replica(1);
    applyEach(seq.sm(), work);
    applyBatch(batched.sm(), work, true);
    applyBatch(split.sm(), work.subList(0, 7), false);
    applyBatch(split.sm(), work.subList(7, work.size()), true);

    assertThat(seq.answers())
        .hasSize(
            work.size()); // every verified command (applied, repeated or refused) and every read
    assertThat(batched.answers()).isEqualTo(seq.answers());
    assertThat(split.answers()).isEqualTo(seq.answers());
    assertThat(batched.sm().stateDigest()).isEqualTo(seq.sm().stateDigest());
    assertThat(split.sm().stateDigest()).isEqualTo(seq.sm().stateDigest());
    assertThat(seq.sm().localRow("alice", 1).state()).isEqualTo(RowState.REGISTERED);
    assertThat(batched.sm().verdicts().pending()).isZero();
  }

  @Test
  void apply_forgedSignatureInsideBatch_refusedAlikeOnEveryReplica() {
    byte[] d = rnd(32);
    byte[] good1 = signWith(k[0], LedgerCommand.register(E, 1, "carol", 1, rnd(16), 1, d, 5));
    byte[] forgedByOther =
        signWith(
            k[0],
            LedgerCommand.register(
                E, 2, "carol", 1, rnd(16), 1, d, 5)); // member 2's row, member 1's key
    byte[] flipped = signWith(k[2], LedgerCommand.register(E, 3, "carol", 1, rnd(16), 1, d, 5));
    flipped[flipped.length - 5] ^= 0x01; // inside the DER signature
    byte[] good2 = signWith(k[1], LedgerCommand.register(E, 2, "dave", 1, rnd(16), 1, d, 5));
    List<byte[]> batch = List.of(good1, forgedByOther, flipped, good2);

    Replica inline = replica(0), ahead = replica(3), keptByLeader = replica(1);
    applyBatch(inline.sm(), batch, false);
    applyBatch(ahead.sm(), batch, true);
    // the leader checked each command when it was submitted there and kept the verdict
    for (byte[] e : batch) {
      SignatureVerdicts.Verdict v =
          keptByLeader.sm().verdicts().checkAndKeep(Arrays.copyOfRange(e, 1, e.length));
      assertThat(v)
          .isEqualTo(
              e == good1 || e == good2
                  ? SignatureVerdicts.Verdict.VALID
                  : SignatureVerdicts.Verdict.BAD_SIGNATURE);
    }
    applyBatch(keptByLeader.sm(), batch, false);

    for (Replica r : List.of(inline, ahead, keptByLeader)) {
      assertThat(r.answers()).hasSize(2); // only the two valid commands answer anyone
      assertThat(r.answers().get(0)).startsWith("c1:");
      assertThat(r.answers().get(1)).startsWith("c2:");
      assertThat(r.sm().localRow("carol", 1).state()).isEqualTo(RowState.REGISTERED);
      assertThat(r.sm().localRow("carol", 2).state()).isEqualTo(RowState.NOT_REGISTERED);
      assertThat(r.sm().localRow("carol", 3).state()).isEqualTo(RowState.NOT_REGISTERED);
      assertThat(r.sm().localRow("dave", 2).state()).isEqualTo(RowState.REGISTERED);
    }
    assertThat(ahead.sm().stateDigest()).isEqualTo(inline.sm().stateDigest());
    assertThat(keptByLeader.sm().stateDigest()).isEqualTo(inline.sm().stateDigest());
    // the same bytes as a lone entry get the same refusal
    LedgerResult<?> alone =
        Results.decodeCommand(inline.sm().apply(forgedByOther, 0, forgedByOther.length, true));
    assertThat(((LedgerResult.Rejected<?>) alone).reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
  }

  @Test
  void apply_malformedBatch_refusedWholeNothingChanges() {
    Replica r = replica(1);
    byte[] good = signWith(k[0], LedgerCommand.register(E, 1, "erin", 1, rnd(16), 1, rnd(32), 5));
    byte[] b = Entries.batch(List.of(good, good));
    byte[] before = r.sm().stateDigest();
    for (byte[] bad :
        List.of(
            Arrays.copyOf(b, b.length - 1),
            Arrays.copyOf(b, b.length + 1),
            withCount(b, 3),
            withCount(b, 0),
            nested(b))) {
      LedgerResult<?> res = Results.decodeCommand(r.sm().apply(bad, 0, bad.length, true));
      assertThat(((LedgerResult.Rejected<?>) res).reason()).isEqualTo(RejectReason.MALFORMED);
    }
    assertThat(r.sm().stateDigest()).isEqualTo(before);
    assertThat(r.answers()).isEmpty();
  }

  private static byte[] withCount(byte[] batch, int count) {
    byte[] c = batch.clone();
    c[1] = (byte) (count >> 8);
    c[2] = (byte) count;
    return c;
  }

  private static byte[] nested(byte[] batch) {
    // a batch whose only entry is a batch: refused (the kind check of the inner entry)
    byte[] out = new byte[3 + 4 + batch.length];
    java.nio.ByteBuffer.wrap(out)
        .put(Entries.BATCH)
        .putShort((short) 1)
        .putInt(batch.length)
        .put(batch);
    return out;
  }
}
