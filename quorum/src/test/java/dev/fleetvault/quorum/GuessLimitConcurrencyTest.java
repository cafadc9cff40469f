package dev.fleetvault.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.quorum.impl.DefaultMemberLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 1,000 concurrent attempts: on one member's row sent through all three nodes, and fleet-wide over
 * random member subsets. Property: exactly L attempts are granted for the registration, no guess is
 * left to any row, and a row is destroyed once its member was granted every counted guess.
 */
@Tag("process")
@Timeout(300)
class GuessLimitConcurrencyTest extends QuorumTestBase {
  private static final int ATTEMPTS = 1000;
  private static final int LIMIT = 10;

  @Test
  void attempt_thousandConcurrentThroughAllNodes_exactlyLimitAllowed() throws Exception {
    try (Cluster c = new Cluster(3, workDir("limit"), Duration.ofSeconds(5)).startAll()) {
      c.awaitReady();
      byte[] sealed = random(200);
      join(c.node(1).records().put("frank", 1, 1, sealed));
      assertThat(join(c.memberLedger(1).register("frank", 1, sha256(sealed), LIMIT)).isCommitted())
          .isTrue();

      // member 1's signed commands submitted through every node's ledger (as a compromised edge
      // could)
      List<MemberLedger> clients = new ArrayList<>();
      for (int id = 1; id <= 3; id++)
        clients.add(
            new DefaultMemberLedger(
                1,
                1L,
                c.node(id).ledger(),
                c.node(id).records(),
                c.signer(1),
                Duration.ofSeconds(120)));
      List<CompletableFuture<LedgerResult<AttemptOutcome>>> results = new ArrayList<>();
      RowView reg = join(clients.get(0).readRow("frank")).value();
      for (int i = 0; i < ATTEMPTS; i++)
        results.add(
            clients
                .get(i % 3)
                .attempt("frank", reg.version(), reg.recordDigest(), reg.generation(), random(32))
                .toCompletableFuture());
      CompletableFuture.allOf(results.toArray(new CompletableFuture[0])).get();

      int allowed = 0, refused = 0, other = 0, finals = 0;
      for (CompletableFuture<LedgerResult<AttemptOutcome>> f : results) {
        LedgerResult<AttemptOutcome> r = f.get();
        if (r instanceof LedgerResult.Committed<AttemptOutcome> ok
            && ok.outcome() instanceof AttemptOutcome.Allowed al) {
          allowed++;
          if (al.finalRecord().isPresent()) finals++;
        } else if (r instanceof LedgerResult.Committed<AttemptOutcome> ok2
            && ok2.outcome() instanceof AttemptOutcome.Refused) {
          refused++;
        } else {
          other++;
        }
      }
      System.out.printf(
          "allowed=%d refused=%d other=%d final=%d%n", allowed, refused, other, finals);
      assertThat(allowed).isEqualTo(LIMIT);
      assertThat(finals).isEqualTo(1);
      assertThat(allowed + refused + other).isEqualTo(ATTEMPTS);
      c.awaitConverged();
      for (int id = 1; id <= 3; id++) {
        RowView row = c.node(id).raftLedger().stateMachine().localRow("frank", 1);
        assertThat(row.state()).isEqualTo(RowState.NO_GUESSES);
        assertThat(row.fleetAttempts()).isEqualTo(LIMIT);
        assertThat(join(c.node(id).records().get("frank", 1, 1))).isEmpty();
      }
    }
  }

  /**
   * Fleet-wide counting under concurrency: 1,000 attempt ids, each sent to a random non-empty
   * subset of the three members at once (every member through its own node). Exactly L distinct ids
   * are granted by any member, no member grants more than L, and each member's row is NO_GUESSES
   * exactly when it was granted every counted id.
   */
  @Test
  void attempt_thousandIdsOverRandomMemberSubsets_exactlyLimitDistinctIdsGranted()
      throws Exception {
    try (Cluster c = new Cluster(3, workDir("subsets"), Duration.ofSeconds(5)).startAll()) {
      c.awaitReady();
      RowView[] regs = new RowView[4];
      List<MemberLedger> ledgers = new ArrayList<>();
      ledgers.add(null);
      for (int m = 1; m <= 3; m++) {
        byte[] sealed = random(100);
        join(c.node(m).records().put("gina", 1, m, sealed));
        MemberLedger ml =
            new DefaultMemberLedger(
                m,
                1L,
                c.node(m).ledger(),
                c.node(m).records(),
                c.signer(m),
                Duration.ofSeconds(120));
        ledgers.add(ml);
        assertThat(join(ml.register("gina", 1, sha256(sealed), LIMIT)).isCommitted()).isTrue();
        regs[m] = join(ml.readRow("gina")).value();
      }
      java.util.Random rnd = new java.util.Random(42);
      java.util.Map<String, java.util.Set<Integer>> grantedBy =
          new java.util.concurrent.ConcurrentHashMap<>();
      List<CompletableFuture<?>> all = new ArrayList<>();
      int[] perMember = new int[4];
      for (int i = 0; i < ATTEMPTS; i++) {
        byte[] aid = random(32);
        String key = hex(aid);
        int subset = 1 + rnd.nextInt(7);
        for (int m = 1; m <= 3; m++) {
          if ((subset & (1 << (m - 1))) == 0) continue;
          int member = m;
          perMember[m]++;
          all.add(
              ledgers
                  .get(m)
                  .attempt(
                      "gina", regs[m].version(), regs[m].recordDigest(), regs[m].generation(), aid)
                  .thenAccept(
                      r -> {
                        if (r instanceof LedgerResult.Committed<AttemptOutcome> ok
                            && ok.outcome() instanceof AttemptOutcome.Allowed al) {
                          assertThat(al.witness().member()).isEqualTo(member);
                          grantedBy
                              .computeIfAbsent(
                                  key, k -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                              .add(member);
                        }
                      })
                  .toCompletableFuture());
        }
      }
      CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get();
      System.out.printf(
          "subsets: %d commands (per member %d/%d/%d), distinct ids granted %d%n",
          all.size(), perMember[1], perMember[2], perMember[3], grantedBy.size());
      assertThat(grantedBy).as("distinct attempt ids granted for the registration").hasSize(LIMIT);
      for (int m = 1; m <= 3; m++) {
        int member = m;
        assertThat(grantedBy.values().stream().filter(s -> s.contains(member)).count())
            .isLessThanOrEqualTo(LIMIT);
      }
      c.awaitConverged();
      for (int node = 1; node <= 3; node++)
        for (int m = 1; m <= 3; m++) {
          RowView row = c.node(node).raftLedger().stateMachine().localRow("gina", m);
          int member = m;
          boolean evaluatedAll = grantedBy.values().stream().allMatch(s -> s.contains(member));
          // a share is destroyed once its member was granted every counted guess; a member that
          // missed some keeps it (refusing every new guess) so those guesses are not wasted
          assertThat(row.state())
              .as("m%d's row on node %d", m, node)
              .isEqualTo(evaluatedAll ? RowState.NO_GUESSES : RowState.REGISTERED);
          assertThat(row.guessesRemaining()).isZero();
          assertThat(row.fleetAttempts()).isEqualTo(LIMIT);
        }
    }
  }
}
