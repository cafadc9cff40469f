package dev.fleetvault.quorum;

import dev.fleetvault.quorum.impl.DefaultMemberLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** 1,000 concurrent attempts on one row, sent through all three nodes: exactly L are allowed and the record is destroyed. */
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
            assertThat(join(c.memberLedger(1).register("frank", 1, sha256(sealed), LIMIT)).isCommitted()).isTrue();

            // member 1's signed commands submitted through every node's ledger (as a compromised edge could)
            List<MemberLedger> clients = new ArrayList<>();
            for (int id = 1; id <= 3; id++)
                clients.add(new DefaultMemberLedger(1, 1L, c.node(id).ledger(), c.node(id).records(), c.signer(1), Duration.ofSeconds(120)));
            List<CompletableFuture<LedgerResult<AttemptOutcome>>> results = new ArrayList<>();
            RowView reg = join(clients.get(0).readRow("frank")).value();
            for (int i = 0; i < ATTEMPTS; i++)
                results.add(clients.get(i % 3).attempt("frank", reg.version(), reg.recordDigest(), reg.generation(), random(32)).toCompletableFuture());
            CompletableFuture.allOf(results.toArray(new CompletableFuture[0])).get();

            int allowed = 0, refused = 0, other = 0, finals = 0;
            for (CompletableFuture<LedgerResult<AttemptOutcome>> f : results) {
                LedgerResult<AttemptOutcome> r = f.get();
                if (r instanceof LedgerResult.Committed<AttemptOutcome> ok && ok.outcome() instanceof AttemptOutcome.Allowed al) {
                    allowed++;
                    if (al.finalRecord().isPresent()) finals++;
                } else if (r instanceof LedgerResult.Committed<AttemptOutcome> ok2 && ok2.outcome() instanceof AttemptOutcome.Refused) {
                    refused++;
                } else {
                    other++;
                }
            }
            System.out.printf("allowed=%d refused=%d other=%d final=%d%n", allowed, refused, other, finals);
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
}
