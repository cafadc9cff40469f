package dev.fleetvault.gateway.member;

import dev.fleetvault.gateway.auth.Caller;
import dev.fleetvault.gateway.crypto.CryptoExecutor;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.gateway.hsm.HsmExecutor;
import dev.fleetvault.gateway.http.NodeMetrics;
import dev.fleetvault.protocol.flow.AttemptGranted;
import dev.fleetvault.protocol.flow.BadRequestException;
import dev.fleetvault.protocol.flow.LedgerRow;
import dev.fleetvault.protocol.flow.MemberLogic;
import dev.fleetvault.protocol.flow.MemberRecords;
import dev.fleetvault.protocol.flow.OpenedRequest;
import dev.fleetvault.protocol.flow.Recover1Step;
import dev.fleetvault.protocol.flow.Recover2Step;
import dev.fleetvault.protocol.flow.Register2Step;
import dev.fleetvault.protocol.wire.MemberRecord;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResponse;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireFormatException;
import dev.fleetvault.quorum.AttemptOutcome;
import dev.fleetvault.quorum.LedgerResult;
import dev.fleetvault.quorum.MemberLedger;
import dev.fleetvault.quorum.RecordStore;
import dev.fleetvault.quorum.RowState;
import dev.fleetvault.quorum.RowView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * The member role of one node (DESIGN.md "Recover"; api-protocol-flows.md "Member side").
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Envelopes are opened with ECDH inside the HSM; a request that does not open, or is
 *       addressed to another member, fails BAD_REQUEST and commits nothing.</li>
 *   <li>The OPRF is evaluated only after this member's own signed {@code attempt} committed
 *       within the limit; with no majority reachable nothing is proposed and nothing
 *       evaluated.</li>
 *   <li>A masked share leaves only after this member's own signed {@code succeed} committed
 *       (or, on the attempt that used the last guess, once the tag matched for exactly that
 *       counted attempt).</li>
 *   <li>Records are stored only HSM-sealed, bound to (user, version, member), and checked
 *       against the ledger's digest before use.</li>
 *   <li>Nothing of the payloads, records, DH results or answers is logged.</li>
 *   <li>The CPU-bound steps (HPKE open/seal, OPRF evaluation and proof, record decoding) run on
 *       the node's {@link CryptoExecutor}, HSM calls on the {@link HsmExecutor}; never on the
 *       event loop. Results continue on the service's Vert.x context.</li>
 * </ul>
 */
public final class MemberService implements MemberHandler {
  private final int index;
  private final MemberLogic logic;
  private final HsmExecutor hsm;
  private final CryptoExecutor crypto;
  private final MemberKeys keys;
  private final MemberLedger ledger;
  private final RecordStore records;
  private final BooleanSupplier majority;
  private final NodeMetrics metrics;
  private final Context context;
  private final FinalRecords finals = new FinalRecords(10_000, 10 * 60_000L);
  private final ReplayGuard replays = new ReplayGuard(200_000);
  /** HPKE keys that open envelopes: the current one first, then the one it replaced. */
  private volatile java.util.List<Hpke> hpkeKeys;

  private record Hpke(dev.fleetvault.driver.spi.KeyHandle handle, MemberLogic logic) {}

  /**
   * @param index this member's index
   * @param logic the member logic
   * @param hsm the HSM worker executor
   * @param crypto the worker pool for CPU-bound crypto steps
   * @param keys this member's HSM keys
   * @param ledger this member's ledger client (signs with the member's HSM key)
   * @param records the sealed-record store
   * @param majority whether a majority is reachable now
   * @param metrics meters
   * @param context the Vert.x context answers complete on
   */
  public MemberService(int index, MemberLogic logic, HsmExecutor hsm, CryptoExecutor crypto,
      MemberKeys keys, MemberLedger ledger, RecordStore records, BooleanSupplier majority,
      NodeMetrics metrics, Context context) {
    this.index = index;
    this.logic = logic;
    this.hsm = hsm;
    this.crypto = crypto;
    this.keys = keys;
    this.ledger = ledger;
    this.records = records;
    this.majority = majority;
    this.metrics = metrics;
    this.context = context;
    this.hpkeKeys = java.util.List.of(new Hpke(keys.hpke(), logic));
  }

  /**
   * Fleet rotation: envelopes are opened with {@code handle} (and {@code logicForKey}, built for
   * its public key) first; the key in use until now is still tried for sessions sealed to it
   * before the new bundle reached their client. Older keys are dropped.
   */
  public void rotateHpke(dev.fleetvault.driver.spi.KeyHandle handle, MemberLogic logicForKey) {
    hpkeKeys = java.util.List.of(new Hpke(handle, logicForKey), hpkeKeys.get(0));
  }

  private Future<OpenedRequest> open(Phase phase, MemberRequest request, byte[] enc,
      java.util.List<Hpke> candidates, int i) {
    Hpke k = candidates.get(i);
    return hsm.call("ecdh", d -> d.ecdh(k.handle(), enc)).compose(dh -> crypto.run("open", () -> {
      try {
        return k.logic().open(phase, request, dh);
      } finally {
        Arrays.fill(dh, (byte) 0);
      }
    }).recover(err -> {
      if (!(err instanceof BadRequestException)) {
        return Future.failedFuture(err);
      }
      if (i + 1 < candidates.size()) {
        return open(phase, request, enc, candidates, i + 1);
      }
      return Future.failedFuture(new FleetvaultException(ErrorCode.BAD_REQUEST,
          "sealed request does not open for this member, phase and user"));
    }));
  }

  @Override
  public Future<MemberResponse> handle(Phase phase, MemberRequest request, Caller caller) {
    try {
      WireCodec.check(request);
    } catch (WireFormatException e) {
      return Future.failedFuture(dev.fleetvault.gateway.errors.Errors.wire(e));
    }
    if (request.getRequest().getMember() != index) {
      return Future.failedFuture(new FleetvaultException(ErrorCode.BAD_REQUEST,
          "sealed request is addressed to member " + request.getRequest().getMember()
              + ", this is member " + index));
    }
    byte[] enc = request.getRequest().getEnc().toByteArray();
    return open(phase, request, enc, hpkeKeys, 0).compose(req -> {
      if (phase != Phase.PHASE_REGISTER1 && phase != Phase.PHASE_RECOVER0
          && !replays.firstUse(phase.getNumber(), enc)) {
        req.close();
        metrics.guessRefused("replayed");
        return Future.failedFuture(new FleetvaultException(ErrorCode.REPLAYED,
            "this envelope was already used; nothing was done"));
      }
      Call call = new Call(req, caller.recordKey(), request.getUserId().toByteArray());
      return dispatch(phase, call).recover(err -> Future.failedFuture(
          err instanceof BadRequestException
              ? new FleetvaultException(ErrorCode.BAD_REQUEST, "invalid request payload")
              : err)).onComplete(ar -> req.close());
    });
  }

  private record Call(OpenedRequest req, String user, byte[] userId) {}

  private Future<MemberResponse> dispatch(Phase phase, Call c) {
    switch (phase) {
      case PHASE_REGISTER1:
        return readRow(c).compose(row -> crypto.run("register1",
            () -> logic.register1(c.req(), LedgerOutcomes.row(row))));
      case PHASE_REGISTER2:
        return readRow(c).compose(row -> loadRecord(c, row).compose(rec ->
            register2(c, row, rec.orElse(null))));
      case PHASE_RECOVER0:
        return readRow(c).compose(row -> loadRecord(c, row).compose(rec -> crypto.run("recover0",
            () -> logic.recover0(c.req(), LedgerOutcomes.row(row), rec.orElse(null)))));
      case PHASE_RECOVER1:
        return readRow(c).compose(row -> loadRecord(c, row).compose(rec ->
            recover1(c, row, rec.orElse(null))));
      case PHASE_RECOVER2:
        return readRow(c).compose(row -> recover2(c, row));
      case PHASE_DELETE:
        return delete(c);
      default:
        return Future.failedFuture(new FleetvaultException(ErrorCode.UNKNOWN_METHOD,
            "unknown phase"));
    }
  }

  private Future<MemberResponse> register2(Call c, RowView row, MemberRecord current) {
    return crypto.run("register2", () -> logic.register2(c.req(), LedgerOutcomes.row(row), current))
        .compose(step -> register2(c, step));
  }

  private Future<MemberResponse> register2(Call c, Register2Step step) {
    if (step instanceof Register2Step.Reply r) {
      return Future.succeededFuture(r.response());
    }
    Register2Step.Store s = (Register2Step.Store) step;
    byte[] aad = MemberRecords.sealAad(c.userId(), s.version(), index);
    return hsm.call("seal", d -> d.seal(keys.seal(), s.recordBytes(), aad))
        .compose(blob -> fromStage(records.put(c.user(), s.version(), index, blob)))
        .compose(v -> commit("register",
            ledger.register(c.user(), s.version(), s.recordDigest(), s.guessLimit())))
        .compose(result -> {
          if (result.isCommitted()) {
            return crypto.run("register2", () -> logic.register2Committed(c.req(), s.version()));
          }
          if (result instanceof LedgerResult.Rejected<RowView> rej
              && rej.reason() == dev.fleetvault.quorum.RejectReason.VERSION_NOT_NEWER) {
            return readRow(c).compose(now -> crypto.run("register2",
                () -> logic.register2Stale(c.req(), now.version())));
          }
          return Future.failedFuture(LedgerOutcomes.failure(result, "register"));
        });
  }

  private Future<MemberResponse> recover1(Call c, RowView row, MemberRecord record) {
    return crypto.run("recover1", () -> logic.recover1(c.req(), LedgerOutcomes.row(row), record))
        .compose(step -> recover1(c, row, record, step));
  }

  private Future<MemberResponse> recover1(Call c, RowView row, MemberRecord record,
      Recover1Step step) {
    if (step instanceof Recover1Step.Reply r) {
      return Future.succeededFuture(r.response());
    }
    byte[] attemptId = ((Recover1Step.CommitAttempt) step).attemptId();
    if (!majority.getAsBoolean()) {
      metrics.guessRefused("no_majority");
      return Future.failedFuture(new FleetvaultException(ErrorCode.NO_MAJORITY,
          "no majority reachable; nothing was spent, retry later"));
    }
    return commit("attempt", ledger.attempt(c.user(), attemptId)).compose(result -> {
      AttemptOutcome outcome = LedgerOutcomes.committed(result, "attempt");
      if (outcome instanceof AttemptOutcome.Refused refused) {
        metrics.guessRefused(refused.state().name().toLowerCase());
        if (refused.state() == RowState.NO_GUESSES) {
          return crypto.run("recover1", () -> logic.recover1NoGuesses(c.req()));
        }
        return Future.failedFuture(new FleetvaultException(ErrorCode.FAILED_PRECONDITION,
            "the record changed during the attempt; retry"));
      }
      AttemptOutcome.Allowed allowed = (AttemptOutcome.Allowed) outcome;
      Future<MemberRecord> rec = allowed.finalRecord().isPresent()
          ? unseal(c, allowed.version(), allowed.finalRecord().get(), row.recordDigest())
              .onSuccess(r -> finals.put(c.user(), attemptId, allowed.version(), r))
          : Future.succeededFuture(record);
      return rec.compose(r -> crypto.run("evaluate", () -> logic.recover1Granted(c.req(), r,
          new AttemptGranted(attemptId, allowed.guessesRemaining()))));
    });
  }

  private Future<MemberResponse> recover2(Call c, RowView row) {
    if (row.state() == RowState.NO_GUESSES) {
      Optional<FinalRecords.Entry> last = finals.get(c.user(), row.lastAttemptId());
      if (last.isPresent()) {
        return recover2Final(c, last.get());
      }
    }
    return loadRecord(c, row).compose(rec -> crypto.run("recover2",
        () -> logic.recover2(c.req(), LedgerOutcomes.row(row), rec.orElse(null)))).compose(step -> {
      if (step instanceof Recover2Step.Reply r) {
        return Future.succeededFuture(r.response());
      }
      if (step instanceof Recover2Step.CommitDestroy d) {
        return commit("delete", ledger.delete(c.user())).compose(result -> {
          LedgerOutcomes.committed(result, "destroy");
          return removeRecord(c, row.version()).map(v -> d.response());
        });
      }
      Recover2Step.CommitSuccess s = (Recover2Step.CommitSuccess) step;
      return commit("succeed", ledger.succeed(c.user(), s.attemptId())).map(result -> {
        LedgerOutcomes.committed(result, "succeed");
        return s.responseAfterCommit();
      });
    });
  }

  /**
   * Phase 2 of the attempt that used the last guess: the ledger destroyed the row when it
   * counted that attempt, so there is no counter left to reset; the share is released only if
   * the tag matches and the request names exactly that counted attempt.
   */
  private Future<MemberResponse> recover2Final(Call c, FinalRecords.Entry last) {
    LedgerRow asLast = new LedgerRow(LedgerRow.State.REGISTERED, last.version(), 0);
    return crypto.run("recover2", () -> logic.recover2(c.req(), asLast, last.record()))
        .compose(step -> recover2Final(c, last, step));
  }

  private Future<MemberResponse> recover2Final(Call c, FinalRecords.Entry last,
      Recover2Step step) {
    if (step instanceof Recover2Step.CommitSuccess s) {
      if (!MessageDigest.isEqual(s.attemptId(), last.attemptId())) {
        return Future.failedFuture(new FleetvaultException(ErrorCode.REPLAYED,
            "not the latest counted attempt (replayed); nothing released"));
      }
      finals.remove(c.user());
      return Future.succeededFuture(s.responseAfterCommit());
    }
    if (step instanceof Recover2Step.CommitDestroy d) {
      finals.remove(c.user());
      return Future.succeededFuture(d.response());
    }
    return Future.succeededFuture(((Recover2Step.Reply) step).response());
  }

  private Future<MemberResponse> delete(Call c) {
    return readRow(c).compose(row -> commit("delete", ledger.delete(c.user())).compose(result -> {
      if (!result.isCommitted() && !(result instanceof LedgerResult.Rejected<RowView> rej
          && rej.reason() == dev.fleetvault.quorum.RejectReason.NOT_REGISTERED)) {
        return Future.failedFuture(LedgerOutcomes.failure(result, "delete"));
      }
      finals.remove(c.user());
      Future<Void> removed = row.state() == RowState.REGISTERED
          ? removeRecord(c, row.version()) : Future.succeededFuture();
      return removed.compose(v -> crypto.run("delete", () -> logic.deleted(c.req())));
    }));
  }

  private Future<RowView> readRow(Call c) {
    return fromStage(ledger.readRow(c.user()))
        .map(r -> LedgerOutcomes.committed(r, "reading the ledger"));
  }

  private Future<Optional<MemberRecord>> loadRecord(Call c, RowView row) {
    if (row.state() != RowState.REGISTERED) {
      return Future.succeededFuture(Optional.empty());
    }
    return fromStage(records.get(c.user(), row.version(), index)).compose(blob -> {
      if (blob.isEmpty()) {
        return Future.failedFuture(new FleetvaultException(ErrorCode.INTERNAL,
            "this member's record is missing"));
      }
      return unseal(c, row.version(), blob.get(), row.recordDigest()).map(Optional::of);
    });
  }

  private Future<MemberRecord> unseal(Call c, long version, byte[] blob, byte[] digest) {
    byte[] aad = MemberRecords.sealAad(c.userId(), version, index);
    return hsm.call("unseal", d -> d.unseal(keys.seal(), blob, aad)).compose(plain ->
        crypto.run("decode", () -> {
      try {
        if (digest.length > 0 && !MessageDigest.isEqual(MemberRecords.digest(plain), digest)) {
          throw new FleetvaultException(ErrorCode.INTERNAL,
              "this member's record does not match the ledger");
        }
        return MemberRecords.decode(plain);
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    }));
  }

  private Future<Void> removeRecord(Call c, long version) {
    return fromStage(records.remove(c.user(), version, index)).otherwiseEmpty();
  }

  private <T> Future<LedgerResult<T>> commit(String command, CompletionStage<LedgerResult<T>> s) {
    long start = System.nanoTime();
    return fromStage(s).onComplete(ar -> metrics.commit(command,
        ar.succeeded() ? outcome(ar.result()) : "error", start));
  }

  private static String outcome(LedgerResult<?> r) {
    if (r instanceof LedgerResult.Committed<?>) {
      return "committed";
    }
    if (r instanceof LedgerResult.Rejected<?> rej) {
      return "rejected_" + rej.reason().name().toLowerCase();
    }
    return r instanceof LedgerResult.NoMajority<?> ? "no_majority" : "timeout";
  }

  private <T> Future<T> fromStage(CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, context).recover(err -> Future.failedFuture(
        err instanceof dev.fleetvault.quorum.QuorumUnavailableException
            || err.getCause() instanceof dev.fleetvault.quorum.QuorumUnavailableException
            ? new FleetvaultException(ErrorCode.NO_MAJORITY,
                "record store unavailable (no majority); retry later")
            : err));
  }
}
