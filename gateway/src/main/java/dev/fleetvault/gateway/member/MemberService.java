package dev.fleetvault.gateway.member;

import dev.fleetvault.gateway.auth.Caller;
import dev.fleetvault.gateway.crypto.CryptoExecutor;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.Errors;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.gateway.hsm.HsmExecutor;
import dev.fleetvault.gateway.http.NodeMetrics;
import dev.fleetvault.protocol.flow.BadRequestException;
import dev.fleetvault.protocol.flow.CommitWitness;
import dev.fleetvault.protocol.flow.MemberLogic;
import dev.fleetvault.protocol.flow.MemberRecords;
import dev.fleetvault.protocol.flow.OpenedRequest;
import dev.fleetvault.protocol.flow.Recover1Step;
import dev.fleetvault.protocol.flow.Recover2Step;
import dev.fleetvault.protocol.flow.Register2Step;
import dev.fleetvault.protocol.passkey.RelyingParty;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResponse;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireFormatException;
import dev.fleetvault.quorum.AttemptOutcome;
import dev.fleetvault.quorum.LedgerResult;
import dev.fleetvault.quorum.MemberLedger;
import dev.fleetvault.quorum.RecordStore;
import dev.fleetvault.quorum.RejectReason;
import dev.fleetvault.quorum.RowState;
import dev.fleetvault.quorum.RowView;
import dev.fleetvault.quorum.SucceedOutcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The member role of one node: a thin interpreter of the member core ({@link MemberLogic}),
 * performing the effects each core step names (HSM ECDH, read row, HSM unseal checked against the
 * ledger digest, commit through this member's {@link MemberLedger}, reply) and handing the core the
 * {@link CommitWitness} this node's own replica produced. PROTOCOL.md "Member steps".
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>The envelope's {@code enc} is validated by the core before the HSM sees it; envelopes are
 *       opened with ECDH inside the HSM; a request that does not open, or is addressed to another
 *       member, fails BAD_REQUEST and commits nothing.
 *   <li>Rows, records and commands use the ledger key {@code LedgerKeys.of(app, user)} of the
 *       verified caller, which must equal the key bound into the envelope.
 *   <li>{@code k_i·B} is evaluated and a masked share released only by the core, only against a
 *       witness from {@link MemberLedger}: a granted attempt (or a success) for exactly this
 *       member, registration version, record digest, generation and attempt id. This class never
 *       evaluates or releases anything itself. With no majority reachable nothing is proposed and
 *       nothing evaluated.
 *   <li>A re-sent phase-1 envelope is answered again (from the {@link ReplayGuard} cache, or
 *       through the ledger, which never counts an attempt id twice); a re-sent phase-2 envelope
 *       gets the answer this member already released for it (the cache: a client's phase-2 failover
 *       to another edge after the first edge's answer was lost), else the ledger's verdict. No
 *       refusal here stands in for the ledger.
 *   <li>Records are stored only HSM-sealed, with put-if-absent (a registration never overwrites
 *       another's record), checked against the ledger's digest before use; after a newer
 *       registration commits, the superseded version's sealed record is removed.
 *   <li>Registrations the core's {@link dev.fleetvault.protocol.flow.RegistrationPolicy} refuses
 *       answer BAD_REQUEST naming the rule, and store nothing.
 *   <li>Nothing of the payloads, records, DH results or answers is logged; plaintext records are
 *       wiped after use.
 *   <li>CPU-bound steps run on the node's {@link CryptoExecutor}, HSM calls on the {@link
 *       HsmExecutor}; never on the event loop. Results continue on the service's Vert.x context.
 * </ul>
 */
public final class MemberService implements MemberHandler {
  /** Answers kept by the phase-1 answer cache. */
  static final int REPLAY_CACHE_ENTRIES = 20_000;

  /** Superseded versions below a new registration that are cleaned up one by one at most. */
  private static final int MAX_SUPERSEDED_SWEEP = 8;

  private final int index;
  private final HsmExecutor hsm;
  private final CryptoExecutor crypto;
  private final MemberKeys keys;
  private final MemberLedger ledger;
  private final RecordStore records;
  private final BooleanSupplier majority;
  private final NodeMetrics metrics;
  private final Context context;
  private final FinalRecords finals = new FinalRecords(10_000, 10 * 60_000L);
  private final ReplayGuard replays = new ReplayGuard(REPLAY_CACHE_ENTRIES);

  /** The WebAuthn relying party of each app (apps[].passkey), for passkey registrations. */
  private final Function<String, Optional<RelyingParty>> relyingParties;

  /** HPKE keys that open envelopes: the current one first, then the one it replaced. */
  private volatile List<Hpke> hpkeKeys;

  private record Hpke(dev.fleetvault.driver.spi.KeyHandle handle, MemberLogic logic) {}

  /**
   * @param index this member's index
   * @param logic the member core (fleet id, registration policy, HPKE public key)
   * @param hsm the HSM worker executor
   * @param crypto the worker pool for CPU-bound crypto steps
   * @param keys this member's HSM keys
   * @param ledger this member's ledger client (signs with the member's HSM key)
   * @param records the sealed-record store
   * @param majority whether a majority is reachable now
   * @param metrics meters
   * @param context the Vert.x context answers complete on
   */
  public MemberService(
      int index,
      MemberLogic logic,
      HsmExecutor hsm,
      CryptoExecutor crypto,
      MemberKeys keys,
      MemberLedger ledger,
      RecordStore records,
      BooleanSupplier majority,
      NodeMetrics metrics,
      Context context) {
    this(
        index,
        logic,
        hsm,
        crypto,
        keys,
        ledger,
        records,
        majority,
        metrics,
        context,
        app -> Optional.empty());
  }

  /**
   * As above, with {@code relyingParties}: the WebAuthn relying party of an app id (the app
   * section's {@code passkey}), handed to the core for passkey registrations (PROTOCOL.md 21.3).
   */
  public MemberService(
      int index,
      MemberLogic logic,
      HsmExecutor hsm,
      CryptoExecutor crypto,
      MemberKeys keys,
      MemberLedger ledger,
      RecordStore records,
      BooleanSupplier majority,
      NodeMetrics metrics,
      Context context,
      Function<String, Optional<RelyingParty>> relyingParties) {
    this.relyingParties = java.util.Objects.requireNonNull(relyingParties, "relyingParties");
    this.index = index;
    this.hsm = hsm;
    this.crypto = crypto;
    this.keys = keys;
    this.ledger = ledger;
    this.records = records;
    this.majority = majority;
    this.metrics = metrics;
    this.context = context;
    this.hpkeKeys = List.of(new Hpke(keys.hpke(), logic));
  }

  /**
   * Fleet rotation: envelopes are opened with {@code handle} (public key {@code publicKey}, 65-byte
   * uncompressed) first; the key in use until now is still tried for sessions sealed to it before
   * the new bundle reached their client. Older keys are dropped.
   */
  public void rotateHpke(dev.fleetvault.driver.spi.KeyHandle handle, byte[] publicKey) {
    MemberLogic current = hpkeKeys.get(0).logic();
    MemberLogic next =
        new MemberLogic(index, publicKey, current.fleetId(), current.policy(), new SecureRandom());
    hpkeKeys = List.of(new Hpke(handle, next), hpkeKeys.get(0));
  }

  /** The sealed-record store (tests). */
  RecordStore recordStore() {
    return records;
  }

  /** The phase-1 answer cache (tests). */
  ReplayGuard replayCache() {
    return replays;
  }

  /** The core (the same rules whichever HPKE key opened the request; answers use its key). */
  private MemberLogic logic() {
    return hpkeKeys.get(0).logic();
  }

  private Future<OpenedRequest> open(
      Phase phase, MemberRequest request, String appId, byte[] enc, List<Hpke> candidates, int i) {
    Hpke k = candidates.get(i);
    return hsm.call("ecdh", d -> d.ecdh(k.handle(), enc))
        .compose(
            dh ->
                crypto
                    .run(
                        "open",
                        () -> {
                          try {
                            return k.logic().open(phase, request, appId, dh);
                          } finally {
                            Arrays.fill(dh, (byte) 0);
                          }
                        })
                    .recover(
                        err -> {
                          if (!(err instanceof BadRequestException)) {
                            return Future.failedFuture(err);
                          }
                          if (i + 1 < candidates.size()) {
                            return open(phase, request, appId, enc, candidates, i + 1);
                          }
                          return Future.failedFuture(
                              new FleetvaultException(
                                  ErrorCode.BAD_REQUEST,
                                  "sealed request does not open for this member, phase, app and user"));
                        }));
  }

  @Override
  public Future<MemberResponse> handle(Phase phase, MemberRequest request, Caller caller) {
    String ledgerKey;
    byte[] enc;
    List<Hpke> candidates = hpkeKeys;
    try {
      WireCodec.check(request);
      ledgerKey = caller.recordKeyFor(request.getUserId().toByteArray());
      // the core validates the point BEFORE any HSM call (never an invalid point to the device)
      enc = candidates.get(0).logic().encForHsm(request);
    } catch (WireFormatException e) {
      return Future.failedFuture(Errors.wire(e));
    } catch (FleetvaultException e) {
      return Future.failedFuture(e);
    } catch (BadRequestException e) {
      return Future.failedFuture(
          new FleetvaultException(
              ErrorCode.BAD_REQUEST,
              request.getRequest().getMember() != index
                  ? "sealed request is addressed to member "
                      + request.getRequest().getMember()
                      + ", this is member "
                      + index
                  : "sealed request: invalid envelope key (enc)"));
    }
    ByteBuffer cacheKey = null;
    if (phase == Phase.PHASE_RECOVER1 || phase == Phase.PHASE_RECOVER2) {
      cacheKey = ReplayGuard.key(phase.getNumber(), caller.appId(), request);
      Optional<MemberResponse> again = replays.answered(cacheKey);
      if (again.isPresent()) {
        return Future.succeededFuture(again.get());
      }
    }
    ByteBuffer key = cacheKey;
    return open(phase, request, caller.appId(), enc, candidates, 0)
        .compose(
            req -> {
              if (!req.ledgerKey().equals(ledgerKey)) {
                req.close();
                return Future.failedFuture(
                    new FleetvaultException(
                        ErrorCode.PERMISSION_DENIED,
                        "the envelope names another user than the caller's token"));
              }
              Call call = new Call(req, ledgerKey, key);
              return dispatch(phase, call)
                  .recover(err -> Future.failedFuture(badRequest(phase, err)))
                  .onComplete(ar -> req.close());
            });
  }

  /**
   * A core refusal as BAD_REQUEST: register2's message names the policy or check that refused (the
   * core's messages name rules, never secrets); other phases answer generically.
   */
  private static Throwable badRequest(Phase phase, Throwable err) {
    if (!(err instanceof BadRequestException)) {
      return err;
    }
    String msg = err.getMessage() == null ? "" : err.getMessage();
    return new FleetvaultException(
        ErrorCode.BAD_REQUEST,
        phase == Phase.PHASE_REGISTER2 && !msg.isEmpty()
            ? msg.substring(0, Math.min(msg.length(), 300))
            : "invalid request payload");
  }

  private record Call(OpenedRequest req, String key, ByteBuffer cacheKey) {}

  private Future<MemberResponse> dispatch(Phase phase, Call c) {
    switch (phase) {
      case PHASE_REGISTER1:
        return readRow(c)
            .compose(
                row ->
                    crypto.run(
                        "register1", () -> logic().register1(c.req(), LedgerOutcomes.row(row))));
      case PHASE_REGISTER2:
        return withRow(c, row -> withRecord(c, row, plain -> register2(c, row, plain)));
      case PHASE_RECOVER0:
        // an attempt id in the payload is answered from this replica after the read through the log
        // (PROTOCOL.md 9.1a): counted in the registration's current generation, or not
        return withRow(
            c,
            row ->
                withRecord(
                    c,
                    row,
                    plain ->
                        crypto.run(
                            "recover0",
                            () ->
                                logic()
                                    .recover0(
                                        c.req(),
                                        LedgerOutcomes.row(row),
                                        plain,
                                        logic()
                                            .recover0AttemptId(c.req())
                                            .map(
                                                id ->
                                                    row.version() > 0
                                                        && ledger.countedSinceRead(
                                                            c.key(), row.version(), id))))));
      case PHASE_RECOVER1:
        // the record is unsealed BEFORE anything is committed: the core checks a passkey
        // entry's assertion against it before it names the attempt (PROTOCOL.md 21.6)
        return withRow(c, row -> withRecord(c, row, plain -> recover1(c, row, plain)));
      case PHASE_RECOVER2:
        return withRow(c, row -> recover2(c, row));
      case PHASE_DELETE:
        return delete(c);
      default:
        return Future.failedFuture(
            new FleetvaultException(ErrorCode.UNKNOWN_METHOD, "unknown phase"));
    }
  }

  /** The record a REGISTERED row names is not in the store (internal marker, never sent). */
  private static final class RecordMissing extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RecordMissing() {
      super("record missing", null, false, false);
    }
  }

  /**
   * Runs {@code step} with this member's row. If the row's record is gone from the store before
   * anything was committed (this member's last grant destroyed it, or a newer registration
   * superseded it, after the row was read), the row is read again and the step answers from the row
   * as it is now (e.g. NO_GUESSES); a record missing for an unchanged registration is an INTERNAL
   * error.
   */
  private Future<MemberResponse> withRow(
      Call c, java.util.function.Function<RowView, Future<MemberResponse>> step) {
    return readRow(c)
        .compose(
            row ->
                step.apply(row)
                    .recover(
                        err -> {
                          if (!(err instanceof RecordMissing)) {
                            return Future.failedFuture(err);
                          }
                          return readRow(c)
                              .compose(
                                  now -> {
                                    boolean unchanged =
                                        now.state() == RowState.REGISTERED
                                            && now.version() == row.version()
                                            && MessageDigest.isEqual(
                                                now.recordDigest(), row.recordDigest());
                                    return unchanged
                                        ? Future.<MemberResponse>failedFuture(err)
                                        : step.apply(now);
                                  })
                              .recover(
                                  again ->
                                      Future.failedFuture(
                                          again instanceof RecordMissing
                                              ? new FleetvaultException(
                                                  ErrorCode.INTERNAL,
                                                  "this member's record is missing")
                                              : again));
                        }));
  }

  // ------------------------------------------------------------------ register

  private Future<MemberResponse> register2(Call c, RowView prev, byte[] current) {
    return crypto
        .run(
            "register2",
            () ->
                logic()
                    .register2(
                        c.req(),
                        LedgerOutcomes.row(prev),
                        current,
                        relyingParties.apply(c.req().appId())))
        .compose(
            step -> {
              if (step instanceof Register2Step.Reply r) {
                return Future.succeededFuture(r.response());
              }
              return store(c, prev, (Register2Step.Store) step);
            });
  }

  private Future<MemberResponse> store(Call c, RowView prev, Register2Step.Store s) {
    return hsm.call("seal", d -> d.seal(keys.seal(), s.recordBytes(), s.sealAad()))
        .compose(blob -> fromStage(records.putIfAbsent(c.key(), s.version(), index, blob)))
        .compose(
            existing -> {
              if (existing.isEmpty()) {
                return commitRegister(c, prev, s, true);
              }
              // this version is already stored at this member: the same registration (a retry)
              // goes on to commit; another registration's record is never overwritten
              return unseal(c, s.version(), existing.get())
                  .compose(
                      plain ->
                          crypto.run(
                              "decode",
                              () -> {
                                try {
                                  return MessageDigest.isEqual(
                                      MemberRecords.digest(plain), s.recordDigest());
                                } finally {
                                  Arrays.fill(plain, (byte) 0);
                                }
                              }))
                  .compose(
                      same ->
                          same
                              ? commitRegister(c, prev, s, false)
                              : crypto.run(
                                  "register2", () -> logic().register2Stale(c.req(), s.version())));
            });
  }

  private Future<MemberResponse> commitRegister(
      Call c, RowView prev, Register2Step.Store s, boolean storedHere) {
    return commit(
            "register", ledger.register(c.key(), s.version(), s.recordDigest(), s.guessLimit()))
        .compose(
            result -> {
              if (result.isCommitted()) {
                finals.removeUser(c.key());
                return removeSuperseded(c, prev.version(), s.version())
                    .compose(
                        v ->
                            crypto.run(
                                "register2",
                                () -> logic().register2Committed(c.req(), s.version())));
              }
              if (result instanceof LedgerResult.Rejected<RowView> rej
                  && rej.reason() == RejectReason.VERSION_NOT_NEWER) {
                return readRow(c)
                    .compose(
                        now -> {
                          boolean ours =
                              now.version() == s.version()
                                  && MessageDigest.isEqual(now.recordDigest(), s.recordDigest());
                          Future<Void> cleanup =
                              storedHere && !ours
                                  ? removeRecord(c, s.version())
                                  : Future.succeededFuture();
                          return cleanup.compose(
                              v ->
                                  crypto.run(
                                      "register2",
                                      () -> logic().register2Stale(c.req(), now.version())));
                        });
              }
              if (result instanceof LedgerResult.Rejected<RowView> rej
                  && storedHere
                  && rej.reason() != RejectReason.OVERLOADED) {
                // refused outright (nothing can commit later): the record we stored is no one's
                return removeRecord(c, s.version())
                    .compose(v -> Future.failedFuture(LedgerOutcomes.failure(result, "register")));
              }
              // no majority / timeout: the command may still commit, so the record stays
              return Future.failedFuture(LedgerOutcomes.failure(result, "register"));
            });
  }

  /**
   * Removes the sealed records this member kept for versions below {@code newVersion} from {@code
   * oldVersion} on (the superseded registration, and records left by registrations that raced it,
   * when the gap is small). Best effort: a failed removal leaves an unusable blob whose ledger row
   * moved on.
   */
  private Future<Void> removeSuperseded(Call c, long oldVersion, long newVersion) {
    List<Future<Void>> removals = new ArrayList<>();
    if (oldVersion >= 1 && oldVersion < newVersion) {
      removals.add(removeRecord(c, oldVersion));
    }
    if (newVersion - oldVersion <= MAX_SUPERSEDED_SWEEP) {
      for (long v = Math.max(1, oldVersion + 1); v < newVersion; v++) {
        removals.add(removeRecord(c, v));
      }
    }
    return Future.join(removals).<Void>mapEmpty().otherwiseEmpty();
  }

  // ------------------------------------------------------------------ recover

  private Future<MemberResponse> recover1(Call c, RowView row, byte[] plain) {
    return crypto
        .run("recover1", () -> logic().recover1(c.req(), LedgerOutcomes.row(row), plain))
        .compose(
            step -> {
              if (step instanceof Recover1Step.Reply r) {
                if (r.passkeyRefusal() != null) {
                  metrics.guessRefused("passkey");
                }
                return Future.succeededFuture(r.response());
              }
              return attempt(c, (Recover1Step.CommitAttempt) step, plain);
            });
  }

  private Future<MemberResponse> attempt(Call c, Recover1Step.CommitAttempt a, byte[] plain) {
    if (!majority.getAsBoolean()) {
      metrics.guessRefused("no_majority");
      return Future.failedFuture(
          new FleetvaultException(
              ErrorCode.NO_MAJORITY, "no majority reachable; nothing was spent, retry later"));
    }
    // the sealed record is read BEFORE the attempt is committed: once counted, this member's
    // own later grant (its last) may destroy the stored copy before this one is evaluated
    return fromStage(records.get(c.key(), a.version(), index))
        .compose(
            stored -> {
              if (stored.isEmpty()) {
                return Future.failedFuture(new RecordMissing());
              }
              return attempt(c, a, stored.get(), plain);
            });
  }

  private Future<MemberResponse> attempt(
      Call c, Recover1Step.CommitAttempt a, byte[] stored, byte[] plain) {
    return commit(
            "attempt",
            ledger.attempt(c.key(), a.version(), a.recordDigest(), a.generation(), a.attemptId()))
        .compose(
            result -> {
              if (result instanceof LedgerResult.Rejected<AttemptOutcome> rej
                  && (rej.reason() == RejectReason.VERSION_MISMATCH
                      || rej.reason() == RejectReason.STALE_GENERATION)) {
                metrics.guessRefused(rej.reason().name().toLowerCase());
                return crypto.run("recover1", () -> logic().recover1Stale(c.req()));
              }
              AttemptOutcome outcome = LedgerOutcomes.committed(result, "attempt");
              if (outcome instanceof AttemptOutcome.Refused refused) {
                metrics.guessRefused(refused.state().name().toLowerCase());
                if (refused.state() == RowState.NO_GUESSES) {
                  return crypto.run("recover1", () -> logic().recover1NoGuesses(c.req()));
                }
                return Future.failedFuture(
                    new FleetvaultException(
                        ErrorCode.FAILED_PRECONDITION,
                        "the record changed during the attempt; start again"));
              }
              return evaluate(c, (AttemptOutcome.Allowed) outcome, stored, plain);
            });
  }

  /**
   * Evaluates a granted attempt with the record the witness names: the ledger's final copy on the
   * last guess, else the sealed record read before the commit (both checked against the witness's
   * digest; the core checks the witness again).
   */
  private Future<MemberResponse> evaluate(
      Call c, AttemptOutcome.Allowed allowed, byte[] stored, byte[] unsealed) {
    CommitWitness w = allowed.witness();
    byte[] blob =
        w.lastGuess() && allowed.finalRecord().isPresent() ? allowed.finalRecord().get() : stored;
    // the record unsealed before the commit (for the passkey gate) is reused when it is exactly
    // the one the witness names; otherwise the blob is unsealed and checked again
    Future<byte[]> plain =
        unsealed != null && MessageDigest.isEqual(MemberRecords.digest(unsealed), w.recordDigest())
            ? Future.succeededFuture(unsealed.clone())
            : unsealChecked(c, w.version(), blob, w.recordDigest());
    if (w.lastGuess()) {
      plain = plain.onSuccess(p -> finals.put(c.key(), w, p));
    }
    return plain
        .compose(
            p ->
                crypto.run(
                    "evaluate",
                    () -> {
                      try {
                        return logic().recover1Evaluate(c.req(), p, w);
                      } finally {
                        Arrays.fill(p, (byte) 0);
                      }
                    }))
        .onSuccess(
            answer -> {
              metrics.evaluated();
              remember(c, answer);
            });
  }

  /** Keeps an answer this member sent (phase-1 evaluations, phase-2 releases) for re-sends. */
  private void remember(Call c, MemberResponse answer) {
    if (c.cacheKey() != null) {
      replays.remember(c.cacheKey(), answer);
    }
  }

  private Future<MemberResponse> recover2(Call c, RowView row) {
    if (row.state() != RowState.REGISTERED) {
      return recover2Final(c, row, finals.forUser(c.key()), 0);
    }
    return withRecord(
        c,
        row,
        plain ->
            crypto
                .run("recover2", () -> logic().recover2(c.req(), LedgerOutcomes.row(row), plain))
                .compose(
                    step -> {
                      if (step instanceof Recover2Step.Reply r) {
                        return Future.succeededFuture(r.response());
                      }
                      Recover2Step.CommitSuccess s = (Recover2Step.CommitSuccess) step;
                      return commit(
                              "succeed",
                              ledger.succeed(
                                  c.key(),
                                  s.version(),
                                  s.recordDigest(),
                                  s.generation(),
                                  s.attemptId()))
                          .compose(
                              result -> {
                                SucceedOutcome ok = LedgerOutcomes.committed(result, "succeed");
                                return crypto
                                    .run(
                                        "release",
                                        () -> logic().recover2Release(c.req(), plain, ok.witness()))
                                    .onSuccess(
                                        answer -> {
                                          metrics.released();
                                          remember(
                                              c, answer); // only released shares: a refusal may be
                                          // transient
                                        });
                              });
                    }));
  }

  /**
   * Phase 2 on a row that is no longer registered: only phase 2 of the attempt that used the last
   * guess here can still be answered, from the copy kept in memory with its last-guess witness (the
   * core checks the witness names this request's attempt); otherwise the core answers the row's
   * state.
   */
  private Future<MemberResponse> recover2Final(
      Call c, RowView row, List<FinalRecords.Entry> entries, int i) {
    if (i >= entries.size()) {
      return crypto
          .run("recover2", () -> logic().recover2(c.req(), LedgerOutcomes.row(row), null))
          .map(step -> ((Recover2Step.Reply) step).response());
    }
    FinalRecords.Entry e = entries.get(i);
    return crypto
        .run(
            "release",
            () -> {
              try {
                return Optional.of(logic().recover2Release(c.req(), e.plaintext(), e.witness()));
              } catch (IllegalArgumentException notThisAttempt) {
                return Optional.<MemberResponse>empty();
              } finally {
                Arrays.fill(e.plaintext(), (byte) 0);
              }
            })
        .compose(
            answer -> {
              if (answer.isPresent()) {
                remember(c, answer.get());
                return Future.succeededFuture(answer.get());
              }
              return recover2Final(c, row, entries, i + 1);
            });
  }

  // ------------------------------------------------------------------ delete

  private Future<MemberResponse> delete(Call c) {
    return readRow(c)
        .compose(
            row ->
                commit("delete", ledger.delete(c.key()))
                    .compose(
                        result -> {
                          if (!result.isCommitted()
                              && !(result instanceof LedgerResult.Rejected<RowView> rej
                                  && rej.reason() == RejectReason.NOT_REGISTERED)) {
                            return Future.failedFuture(LedgerOutcomes.failure(result, "delete"));
                          }
                          finals.removeUser(c.key());
                          Future<Void> removed =
                              row.state() == RowState.REGISTERED
                                  ? removeRecord(c, row.version())
                                  : Future.succeededFuture();
                          return removed.compose(
                              v -> crypto.run("delete", () -> logic().deleted(c.req())));
                        }));
  }

  // ------------------------------------------------------------------ effects

  private Future<RowView> readRow(Call c) {
    return fromStage(ledger.readRow(c.key()))
        .map(r -> LedgerOutcomes.committed(r, "reading the ledger"));
  }

  /** Runs {@code then} with the row's record plaintext (null unless REGISTERED), then wipes it. */
  private Future<MemberResponse> withRecord(
      Call c, RowView row, java.util.function.Function<byte[], Future<MemberResponse>> then) {
    if (row.state() != RowState.REGISTERED) {
      return then.apply(null);
    }
    return loadRecord(c, row.version(), row.recordDigest())
        .compose(plain -> then.apply(plain).onComplete(ar -> Arrays.fill(plain, (byte) 0)));
  }

  /** This member's record at {@code version}, unsealed and checked against {@code digest}. */
  private Future<byte[]> loadRecord(Call c, long version, byte[] digest) {
    return fromStage(records.get(c.key(), version, index))
        .compose(
            blob -> {
              if (blob.isEmpty()) {
                return Future.failedFuture(new RecordMissing());
              }
              return unsealChecked(c, version, blob.get(), digest);
            });
  }

  private Future<byte[]> unseal(Call c, long version, byte[] blob) {
    byte[] aad = c.req().recordAad(version);
    return hsm.call("unseal", d -> d.unseal(keys.seal(), blob, aad));
  }

  private Future<byte[]> unsealChecked(Call c, long version, byte[] blob, byte[] digest) {
    return unseal(c, version, blob)
        .compose(
            plain ->
                crypto.run(
                    "decode",
                    () -> {
                      if (digest.length != 32
                          || !MessageDigest.isEqual(MemberRecords.digest(plain), digest)) {
                        Arrays.fill(plain, (byte) 0);
                        throw new FleetvaultException(
                            ErrorCode.INTERNAL, "this member's record does not match the ledger");
                      }
                      return plain;
                    }));
  }

  private Future<Void> removeRecord(Call c, long version) {
    return fromStage(records.remove(c.key(), version, index)).otherwiseEmpty();
  }

  private <T> Future<LedgerResult<T>> commit(String command, CompletionStage<LedgerResult<T>> s) {
    long start = System.nanoTime();
    return fromStage(s)
        .onComplete(
            ar -> metrics.commit(command, ar.succeeded() ? outcome(ar.result()) : "error", start));
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
    return Future.fromCompletionStage(stage, context)
        .recover(
            err ->
                Future.failedFuture(
                    err instanceof dev.fleetvault.quorum.QuorumUnavailableException
                            || err.getCause()
                                instanceof dev.fleetvault.quorum.QuorumUnavailableException
                        ? new FleetvaultException(
                            ErrorCode.NO_MAJORITY,
                            "record store unavailable (no majority); retry later")
                        : err));
  }
}
