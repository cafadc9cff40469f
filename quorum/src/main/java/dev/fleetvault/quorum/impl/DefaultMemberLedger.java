package dev.fleetvault.quorum.impl;

import dev.fleetvault.protocol.flow.CommitWitness;
import dev.fleetvault.quorum.AttemptOutcome;
import dev.fleetvault.quorum.CommandOutcome;
import dev.fleetvault.quorum.CommandSigner;
import dev.fleetvault.quorum.Ledger;
import dev.fleetvault.quorum.LedgerCommand;
import dev.fleetvault.quorum.LedgerResult;
import dev.fleetvault.quorum.MemberLedger;
import dev.fleetvault.quorum.RecordStore;
import dev.fleetvault.quorum.RejectReason;
import dev.fleetvault.quorum.RowState;
import dev.fleetvault.quorum.RowView;
import dev.fleetvault.quorum.SignedCommand;
import dev.fleetvault.quorum.SucceedOutcome;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MemberLedger} for one member: per-row serialisation, sequence numbers learned by
 * linearizable reads, signing through the member's {@link CommandSigner}, one request id per
 * logical call reused across its retries (so a retry after an unknown outcome is answered from the
 * ledger's per-row request cache instead of being applied twice).
 */
public final class DefaultMemberLedger implements MemberLedger {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultMemberLedger.class);

  private final int memberId;
  private final long epoch;
  private final Ledger ledger;
  private final RecordStore records;
  private final CommandSigner signer;
  private final long budgetNanos;
  private final SecureRandom random = new SecureRandom();

  /**
   * Last known sequence per row, bounded (least recently used rows are forgotten and re-read when
   * needed).
   */
  private final Map<String, Long> knownSequence =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
              return size() > MAX_CACHED_ROWS;
            }
          });

  private static final int MAX_CACHED_ROWS = 100_000;
  private final Map<String, CompletableFuture<?>> rowTails = new ConcurrentHashMap<>();

  /**
   * @param budget total time one call may spend across its retries (about twice the request timeout
   *     is sensible)
   */
  public DefaultMemberLedger(
      int memberId,
      long epoch,
      Ledger ledger,
      RecordStore records,
      CommandSigner signer,
      Duration budget) {
    this.memberId = memberId;
    this.epoch = epoch;
    this.ledger = ledger;
    this.records = records;
    this.signer = signer;
    this.budgetNanos = budget.toNanos();
  }

  @Override
  public int memberId() {
    return memberId;
  }

  @Override
  public CompletionStage<LedgerResult<RowView>> register(
      String user, long version, byte[] recordDigest, int guessLimit) {
    byte[] rid = requestId();
    byte[] digest = recordDigest.clone();
    if (version > LedgerCommand.MAX_RECORD_VERSION)
      return done(
          new LedgerResult.Rejected<>(
              RejectReason.VERSION_TOO_LARGE, "record version above 2^53-1"));
    try {
      LedgerCommand.register(epoch, memberId, user, 1, rid, version, digest, guessLimit);
    } catch (IllegalArgumentException e) {
      return done(new LedgerResult.Rejected<>(RejectReason.MALFORMED, e.getMessage()));
    }
    return serial(
            user,
            () ->
                run(
                    user,
                    seq ->
                        LedgerCommand.register(
                            epoch, memberId, user, seq, rid, version, digest, guessLimit)))
        .thenApply(
            r ->
                r instanceof LedgerResult.Committed<CommandOutcome> c
                    ? new LedgerResult.Committed<>(c.outcome().row())
                    : r.castFailure());
  }

  @Override
  public CompletionStage<LedgerResult<AttemptOutcome>> attempt(
      String user, long version, byte[] recordDigest, long generation, byte[] attemptId) {
    byte[] rid = requestId();
    byte[] aid = attemptId.clone();
    byte[] digest = recordDigest.clone();
    try {
      LedgerCommand.attempt(epoch, memberId, user, 1, rid, version, digest, generation, aid);
    } catch (IllegalArgumentException | NullPointerException e) {
      return done(
          new LedgerResult.Rejected<>(RejectReason.MALFORMED, String.valueOf(e.getMessage())));
    }
    return serial(
        user,
        () ->
            run(
                    user,
                    seq ->
                        LedgerCommand.attempt(
                            epoch, memberId, user, seq, rid, version, digest, generation, aid))
                .thenCompose(
                    r -> {
                      if (!(r instanceof LedgerResult.Committed<CommandOutcome> c))
                        return done(r.<AttemptOutcome>castFailure());
                      CommandOutcome o = c.outcome();
                      RowView row = o.row();
                      if (!o.allowed()) {
                        LedgerResult<AttemptOutcome> refused =
                            new LedgerResult.Committed<>(
                                new AttemptOutcome.Refused(
                                    row.state() == RowState.REGISTERED
                                        ? RowState.NO_GUESSES
                                        : row.state()));
                        if (!o.destroyed()) return done(refused);
                        // the fleet's count was already exhausted: this command destroyed the
                        // record, nothing is evaluated
                        return takeFinalRecord(user, row.version()).thenApply(rec -> refused);
                      }
                      if (row.version() != version || row.generation() != generation)
                        return done(
                            new LedgerResult.Rejected<>(
                                RejectReason.MALFORMED,
                                "local outcome does not match the command"));
                      // built only from this node's own replica's outcome for this member's own
                      // command
                      CommitWitness w =
                          Witnesses.MINT.witness(
                              CommitWitness.Kind.ATTEMPT_GRANTED,
                              memberId,
                              user,
                              version,
                              digest,
                              generation,
                              aid,
                              row.guessesRemaining(),
                              o.destroyed(),
                              o.appliedIndex());
                      if (!o.destroyed())
                        return done(
                            new LedgerResult.Committed<>(
                                new AttemptOutcome.Allowed(w, Optional.empty())));
                      return takeFinalRecord(user, version)
                          .thenApply(
                              rec ->
                                  new LedgerResult.Committed<>(new AttemptOutcome.Allowed(w, rec)));
                    }));
  }

  /**
   * Reads the record once more, then deletes it everywhere; the ledger row is already NO_GUESSES.
   */
  private CompletionStage<Optional<byte[]>> takeFinalRecord(String user, long version) {
    return records
        .get(user, version, memberId)
        .exceptionally(
            e -> {
              LOG.warn(
                  "m{}: could not read the final sealed record (version {}): {}",
                  memberId,
                  version,
                  e.toString());
              return Optional.empty();
            })
        .thenCompose(
            rec ->
                records
                    .remove(user, version, memberId)
                    .handle(
                        (v, e) -> {
                          if (e != null)
                            LOG.warn(
                                "m{}: sealed record of a NO_GUESSES row not yet deleted (version {}): {}",
                                memberId,
                                version,
                                e.toString());
                          return rec;
                        }));
  }

  @Override
  public CompletionStage<LedgerResult<SucceedOutcome>> succeed(
      String user, long version, byte[] recordDigest, long generation, byte[] attemptId) {
    byte[] rid = requestId();
    byte[] aid = attemptId.clone();
    byte[] digest = recordDigest.clone();
    try {
      LedgerCommand.succeed(epoch, memberId, user, 1, rid, version, digest, generation, aid);
    } catch (IllegalArgumentException | NullPointerException e) {
      return done(
          new LedgerResult.Rejected<>(RejectReason.MALFORMED, String.valueOf(e.getMessage())));
    }
    return serial(
            user,
            () ->
                run(
                    user,
                    seq ->
                        LedgerCommand.succeed(
                            epoch, memberId, user, seq, rid, version, digest, generation, aid)))
        .thenApply(
            r -> {
              if (!(r instanceof LedgerResult.Committed<CommandOutcome> c))
                return r.<SucceedOutcome>castFailure();
              CommandOutcome o = c.outcome();
              RowView row = o.row();
              if (row.version() != version
                  || (!o.counterReset() && row.generation() != generation)
                  || (o.counterReset() && row.generation() != generation + 1))
                return new LedgerResult.Rejected<>(
                    RejectReason.MALFORMED, "local outcome does not match the command");
              CommitWitness w =
                  Witnesses.MINT.witness(
                      CommitWitness.Kind.SUCCEEDED,
                      memberId,
                      user,
                      version,
                      digest,
                      generation,
                      aid,
                      row.guessesRemaining(),
                      false,
                      o.appliedIndex());
              return new LedgerResult.Committed<>(new SucceedOutcome(w, o.counterReset(), row));
            });
  }

  @Override
  public CompletionStage<LedgerResult<RowView>> delete(String user) {
    byte[] rid = requestId();
    try {
      LedgerCommand.delete(epoch, memberId, user, 1, rid);
    } catch (IllegalArgumentException e) {
      return done(new LedgerResult.Rejected<>(RejectReason.MALFORMED, e.getMessage()));
    }
    return serial(
        user,
        () ->
            run(user, seq -> LedgerCommand.delete(epoch, memberId, user, seq, rid))
                .thenCompose(
                    r -> {
                      if (!(r instanceof LedgerResult.Committed<CommandOutcome> c))
                        return done(r.<RowView>castFailure());
                      RowView row = c.outcome().row();
                      LedgerResult<RowView> ok = new LedgerResult.Committed<>(row);
                      if (row.version() < 1) return done(ok);
                      return records
                          .remove(user, row.version(), memberId)
                          .handle(
                              (v, e) -> {
                                if (e != null)
                                  LOG.warn(
                                      "m{}: sealed record of a DELETED row not yet removed: {}",
                                      memberId,
                                      e.toString());
                                return ok;
                              });
                    }));
  }

  @Override
  public CompletionStage<LedgerResult<RowView>> readRow(String user) {
    return ledger.readRow(user, memberId);
  }

  @Override
  public boolean countedSinceRead(String user, long version, byte[] attemptId) {
    if (attemptId == null || attemptId.length != 32)
      throw new IllegalArgumentException("an attempt id is 32 bytes");
    return ledger.countedLocally(user, version, attemptId);
  }

  // ------------------------------------------------------------------ internals

  /** Runs {@code op} after every earlier operation on the same row finished. */
  private <T> CompletionStage<T> serial(
      String user, java.util.function.Supplier<CompletionStage<T>> op) {
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture<?>[] mine = new CompletableFuture<?>[1];
    rowTails.compute(
        user,
        (u, tail) -> {
          CompletableFuture<?> start =
              tail == null ? CompletableFuture.completedFuture(null) : tail;
          CompletableFuture<T> next =
              start
                  .handle((x, e) -> null)
                  .thenCompose(
                      x -> {
                        try {
                          return op.get();
                        } catch (RuntimeException e) {
                          return CompletableFuture.failedFuture(e);
                        }
                      })
                  .toCompletableFuture();
          mine[0] = next;
          return next;
        });
    @SuppressWarnings("unchecked")
    CompletableFuture<T> next = (CompletableFuture<T>) mine[0];
    next.whenComplete(
        (v, e) -> {
          rowTails.remove(user, next);
          if (e != null) result.completeExceptionally(e);
          else result.complete(v);
        });
    return result;
  }

  private CompletionStage<LedgerResult<CommandOutcome>> run(
      String user, LongFunction<LedgerCommand> build) {
    return loop(user, build, System.nanoTime() + budgetNanos, 0);
  }

  private CompletionStage<LedgerResult<CommandOutcome>> loop(
      String user, LongFunction<LedgerCommand> build, long deadline, int round) {
    Long seq = knownSequence.get(user);
    CompletionStage<LedgerResult<Long>> seqStage =
        seq != null
            ? done(new LedgerResult.Committed<>(seq))
            : ledger
                .readRow(user, memberId)
                .thenApply(
                    r ->
                        r instanceof LedgerResult.Committed<RowView> c
                            ? new LedgerResult.Committed<>(c.outcome().sequence())
                            : r.castFailure());
    return seqStage.thenCompose(
        sr -> {
          if (!(sr instanceof LedgerResult.Committed<Long> cs))
            return done(sr.<CommandOutcome>castFailure());
          LedgerCommand cmd = build.apply(cs.outcome() + 1);
          byte[] canonical = cmd.canonicalBytes();
          CompletionStage<byte[]> sig;
          try {
            sig = signer.sign(canonical);
          } catch (RuntimeException e) {
            sig = CompletableFuture.failedFuture(e);
          }
          return sig.handle(
                  (s, e) -> {
                    if (e != null || s == null) return null;
                    try {
                      return new SignedCommand(canonical, s);
                    } catch (IllegalArgumentException bad) {
                      return null;
                    }
                  })
              .thenCompose(
                  signed -> {
                    if (signed == null)
                      return done(
                          new LedgerResult.Rejected<CommandOutcome>(
                              RejectReason.SIGNER_FAILED, "the command signer failed"));
                    return ledger
                        .submit(signed)
                        .thenCompose(
                            r -> {
                              if (r instanceof LedgerResult.Committed<CommandOutcome> c) {
                                knownSequence.put(user, c.outcome().row().sequence());
                                return done(r);
                              }
                              knownSequence.remove(user);
                              if (r instanceof LedgerResult.Rejected<CommandOutcome> rej
                                  && rej.reason() == RejectReason.STALE_SEQUENCE
                                  && System.nanoTime() < deadline) {
                                long backoff =
                                    Math.min(50, 1L << Math.min(round, 5))
                                        + ThreadLocalRandom.current().nextInt(3);
                                return CompletableFuture.supplyAsync(
                                        () -> null,
                                        CompletableFuture.delayedExecutor(
                                            backoff, TimeUnit.MILLISECONDS))
                                    .thenCompose(x -> loop(user, build, deadline, round + 1));
                              }
                              return done(r);
                            });
                  });
        });
  }

  private byte[] requestId() {
    byte[] r = new byte[LedgerCommand.REQUEST_ID_LEN];
    random.nextBytes(r);
    return r;
  }

  private static <T> CompletionStage<T> done(T v) {
    return CompletableFuture.completedFuture(v);
  }
}
