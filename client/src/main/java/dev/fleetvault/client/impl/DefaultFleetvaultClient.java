package dev.fleetvault.client.impl;

import com.google.protobuf.ByteString;
import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.BlockingFleetvaultClient;
import dev.fleetvault.client.ClientOptions;
import dev.fleetvault.client.DeleteResult;
import dev.fleetvault.client.Edge;
import dev.fleetvault.client.FleetStatus;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.FleetvaultException;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import dev.fleetvault.client.TransportKind;
import dev.fleetvault.client.passkey.Authenticator;
import dev.fleetvault.client.passkey.PasskeyAssertionInfo;
import dev.fleetvault.client.passkey.PasskeyCredentialInfo;
import dev.fleetvault.protocol.flow.AttemptCheck;
import dev.fleetvault.protocol.flow.Deletion;
import dev.fleetvault.protocol.flow.FlowException;
import dev.fleetvault.protocol.flow.InsufficientAnswersException;
import dev.fleetvault.protocol.flow.RealmConfig;
import dev.fleetvault.protocol.flow.Recovery;
import dev.fleetvault.protocol.flow.RecoveryStep;
import dev.fleetvault.protocol.flow.Registration;
import dev.fleetvault.protocol.passkey.PasskeyDerivations;
import dev.fleetvault.protocol.passkey.PasskeyEntry;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.PasskeyAssertion;
import dev.fleetvault.protocol.wire.PasskeyCredential;
import dev.fleetvault.protocol.wire.Recover2Request;
import dev.fleetvault.protocol.wire.StatusRequest;
import dev.fleetvault.protocol.wire.StatusResponse;
import dev.fleetvault.protocol.wire.WireVersion;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SDK: drives the protocol's client state machines ({@link Registration}, {@link Recovery},
 * {@link Deletion}) over an {@link EdgeTransport}, moving to the next edge when one is down.
 *
 * <p>Edge policy. Every operation starts at the edge that last worked. Register, delete, status and
 * the free phase 0 of a recovery restart from scratch on the next edge when an edge is unreachable,
 * lost the call or reports that it cannot reach a majority. The guess (phase 1) follows PROTOCOL.md
 * section 17: if the edge is unreachable before sending, the recovery restarts on the next edge;
 * once the request may have reached the members (lost, {@code no_majority}, {@code timeout}, {@code
 * not_ready}) only the identical request is re-sent, to each other edge and once more to the first,
 * because new envelopes (a new nonce) would be a new guess; when none answers (or too few members
 * evaluated it) the SDK asks what became of the guess with phase 0 naming its attempt id
 * (PROTOCOL.md 9.1a; {@link #ATTEMPT_CHECK_ROUNDS} rounds on every edge) and the result is {@code
 * Unavailable} with {@code COUNTED}, {@code NOT_COUNTED} or {@code MAY_HAVE_BEEN_COUNTED}. Phase 2
 * (after a counted guess) is retried on the other edges with the same sealed request, which spends
 * nothing more. Protocol work (Argon2id, HPKE, proofs) runs on worker threads, never on an event
 * loop.
 */
public final class DefaultFleetvaultClient implements FleetvaultClient {
  private static final int REGISTER_CONFLICT_RETRIES = 2;

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final ClientOptions options;
  private final EdgeTransport transport;
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger preferred = new AtomicInteger();
  private volatile RealmConfig realm;

  private DefaultFleetvaultClient(Vertx vertx, boolean ownsVertx, ClientOptions options) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.options = options;
    this.transport =
        options.transport() == TransportKind.GRPC
            ? new GrpcEdgeTransport(vertx, options.requestTimeout(), options.connectTimeout())
            : new WsEdgeTransport(vertx, options.requestTimeout(), options.connectTimeout());
  }

  /** A client on {@code vertx}, or on its own Vert.x instance when {@code vertx} is null. */
  public static FleetvaultClient create(Vertx vertx, ClientOptions options) {
    return vertx == null
        ? new DefaultFleetvaultClient(Vertx.vertx(), true, options)
        : new DefaultFleetvaultClient(vertx, false, options);
  }

  // ---------------------------------------------------------------- register

  @Override
  public CompletionStage<RegisterResult> register(
      String user, Pin pin, BackupSecret secret, int guessLimit) {
    byte[] userId = userId(user);
    SecretBytes pinBytes = SecretBytes.wrap(pin.utf8());
    SecretBytes secretBytes = SecretBytes.wrap(secret.copyBytes());
    return token(user)
        .compose(
            token ->
                registerOn(
                    edgeOrder(),
                    0,
                    r ->
                        Registration.begin(
                            r, options.appId(), userId, pinBytes, secretBytes, guessLimit, random),
                    guessLimit,
                    token,
                    0,
                    "no edge tried"))
        .andThen(
            ar -> {
              pinBytes.wipe();
              secretBytes.wipe();
            })
        .toCompletionStage();
  }

  private Future<RegisterResult> registerOn(
      List<Edge> order,
      int i,
      java.util.function.Function<RealmConfig, Registration> begin,
      int guessLimit,
      String token,
      int conflicts,
      String lastReason) {
    if (i >= order.size()) {
      return Future.succeededFuture(new RegisterResult.Unavailable(lastReason));
    }
    Edge edge = order.get(i);
    Future<dev.fleetvault.protocol.flow.RegisterResult> run =
        realmFor(edge)
            .compose(r -> work(() -> begin.apply(r)))
            .compose(
                reg ->
                    work(reg::register1Request)
                        .compose(q -> transport.call(edge, VaultMethod.REGISTER1, q, token))
                        .compose(a -> work(() -> reg.register2Request(a)))
                        .compose(q -> transport.call(edge, VaultMethod.REGISTER2, q, token))
                        .compose(a -> work(() -> reg.finish(a))));
    return run.transform(
        ar -> {
          if (ar.succeeded()) {
            worked(edge);
            if (ar.result() instanceof dev.fleetvault.protocol.flow.RegisterResult.Registered) {
              return Future.succeededFuture(new RegisterResult.Registered(guessLimit));
            }
            if (conflicts < REGISTER_CONFLICT_RETRIES) {
              return registerOn(order, i, begin, guessLimit, token, conflicts + 1, lastReason);
            }
            return Future.succeededFuture(
                new RegisterResult.Unavailable(
                    "another registration of this user raced this one; try again"));
          }
          String reason = retryReason(ar.cause());
          if (reason != null) {
            return registerOn(order, i + 1, begin, guessLimit, token, conflicts, reason);
          }
          return Future.failedFuture(toPublic(ar.cause()));
        });
  }

  // ---------------------------------------------------------------- passkeys (PROTOCOL.md 21)

  @Override
  public CompletionStage<RegisterResult> registerPasskey(
      String user, Authenticator authenticator, BackupSecret secret, int guessLimit) {
    java.util.Objects.requireNonNull(authenticator, "authenticator");
    byte[] userId = userId(user);
    SecretBytes secretBytes = SecretBytes.wrap(secret.copyBytes());
    return token(user)
        .compose(
            token ->
                registerOn(
                    edgeOrder(),
                    0,
                    r -> {
                      PasskeyCredentialInfo c = authenticator.credential();
                      try (SecretBytes prf =
                          SecretBytes.wrap(
                              authenticator.prf(
                                  PasskeyDerivations.prfSalt(
                                      r.fleetId(), options.appId(), userId)))) {
                        return Registration.beginPasskey(
                            r,
                            options.appId(),
                            userId,
                            prf,
                            PasskeyCredential.newBuilder()
                                .setCredentialId(ByteString.copyFrom(c.credentialId()))
                                .setSpkiPublicKey(ByteString.copyFrom(c.spkiPublicKey()))
                                .setPublicKeyAlgorithm(c.algorithm())
                                .setUserHandle(ByteString.copyFrom(c.userHandle()))
                                .build(),
                            secretBytes,
                            guessLimit,
                            random);
                      }
                    },
                    guessLimit,
                    token,
                    0,
                    "no edge tried"))
        .andThen(ar -> secretBytes.wipe())
        .toCompletionStage();
  }

  @Override
  public CompletionStage<RecoverResult> recoverWithPasskey(
      String user, Authenticator authenticator) {
    java.util.Objects.requireNonNull(authenticator, "authenticator");
    byte[] userId = userId(user);
    return token(user)
        .compose(
            token ->
                recoverOn(
                    edgeOrder(),
                    0,
                    r -> {
                      try (SecretBytes prf =
                          SecretBytes.wrap(
                              authenticator.prf(
                                  PasskeyDerivations.prfSalt(
                                      r.fleetId(), options.appId(), userId)))) {
                        return Recovery.beginPasskey(
                            r,
                            options.appId(),
                            userId,
                            prf,
                            c -> {
                              PasskeyAssertionInfo a =
                                  authenticator.assertion(
                                      c.challenge(), c.credentialId(), c.rpId());
                              return PasskeyAssertion.newBuilder()
                                  .setCredentialId(ByteString.copyFrom(a.credentialId()))
                                  .setAuthenticatorData(ByteString.copyFrom(a.authenticatorData()))
                                  .setClientDataJson(ByteString.copyFrom(a.clientDataJson()))
                                  .setSignature(ByteString.copyFrom(a.signature()))
                                  .setUserHandle(ByteString.copyFrom(a.userHandle()))
                                  .build();
                            },
                            random);
                      }
                    },
                    token,
                    "no edge tried"))
        .toCompletionStage();
  }

  @Override
  public CompletionStage<RegisterResult> addPasskey(
      String user, Pin pin, Authenticator authenticator, int guessLimit) {
    return recover(user, pin)
        .thenCompose(
            r -> {
              if (!(r instanceof RecoverResult.Recovered rec)) {
                return java.util.concurrent.CompletableFuture.completedFuture(
                    new RegisterResult.NotUnlocked(r));
              }
              BackupSecret secret = rec.secret();
              return registerPasskey(user, authenticator, secret, guessLimit)
                  .whenComplete((x, e) -> secret.close());
            });
  }

  @Override
  public CompletionStage<DeleteResult> removePasskey(String user) {
    byte[] entry = PasskeyEntry.of(userId(user));
    return token(user)
        .compose(token -> deleteOn(edgeOrder(), 0, entry, token, "no edge tried"))
        .toCompletionStage();
  }

  // ---------------------------------------------------------------- recover

  @Override
  public CompletionStage<RecoverResult> recover(String user, Pin pin) {
    byte[] userId = userId(user);
    SecretBytes pinBytes = SecretBytes.wrap(pin.utf8());
    return token(user)
        .compose(
            token ->
                recoverOn(
                    edgeOrder(),
                    0,
                    r -> Recovery.begin(r, options.appId(), userId, pinBytes, random),
                    token,
                    "no edge tried"))
        .andThen(ar -> pinBytes.wipe())
        .toCompletionStage();
  }

  /**
   * Marks a failure that happened after the guess may have been counted: never retried elsewhere.
   */
  private static class AfterGuess extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AfterGuess(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /**
   * A failure of phase 1 itself (its answer lost or too few usable): resolvable by an attempt
   * check.
   */
  private static final class PhaseOneLost extends AfterGuess {
    private static final long serialVersionUID = 1L;

    PhaseOneLost(Throwable cause) {
      super(cause);
    }
  }

  /**
   * How many rounds of attempt checks (PROTOCOL.md 9.1a) after a lost phase-1 answer, before "may
   * have been".
   */
  static final int ATTEMPT_CHECK_ROUNDS = 4;

  /**
   * The pause before the first round; it doubles before each further round (0.5 + 1 + 2 + 4 s at
   * most).
   */
  static final long ATTEMPT_CHECK_FIRST_DELAY_MS = 500;

  private Future<RecoverResult> recoverOn(
      List<Edge> order,
      int i,
      java.util.function.Function<RealmConfig, Recovery> begin,
      String token,
      String lastReason) {
    if (i >= order.size()) {
      return Future.succeededFuture(new RecoverResult.Unavailable(lastReason));
    }
    Edge edge = order.get(i);
    Future<RecoverResult> run =
        realmFor(edge)
            .compose(r -> work(() -> begin.apply(r)))
            .compose(
                rec ->
                    guess(edge, order, rec, token)
                        .recover(
                            e -> {
                              if (e instanceof PhaseOneLost lost
                                  && (lost.getCause() instanceof EdgeCallException
                                      || lost.getCause() instanceof InsufficientAnswersException)) {
                                Optional<AttemptCheck> first = rec.attemptCheck();
                                if (first.isPresent()) {
                                  return resolveGuess(
                                      order, rec, token, lost.getCause().getMessage(), 0);
                                }
                              }
                              return Future.failedFuture(e);
                            }));
    return run.transform(
        ar -> {
          if (ar.succeeded()) {
            worked(edge);
            return Future.succeededFuture(ar.result());
          }
          Throwable e = ar.cause();
          if (e instanceof AfterGuess ag) {
            Throwable cause = ag.getCause();
            if (cause instanceof EdgeCallException
                || cause instanceof InsufficientAnswersException) {
              return Future.succeededFuture(
                  new RecoverResult.Unavailable(
                      cause.getMessage() + " (after the guess was sent: it may have been counted)",
                      RecoverResult.Guess.MAY_HAVE_BEEN_COUNTED,
                      -1));
            }
            return Future.failedFuture(toPublic(cause));
          }
          String reason = retryReason(e);
          if (reason != null) {
            return recoverOn(order, i + 1, begin, token, reason);
          }
          return Future.failedFuture(toPublic(e));
        });
  }

  /**
   * Phase 0 then phase 1 on {@code edge}; phase 0 again when phase 1 says the registration moved on
   * ({@link RecoveryStep.Restart}: nothing was counted; bounded by the Recovery).
   */
  private Future<RecoverResult> guess(Edge edge, List<Edge> order, Recovery rec, String token) {
    return work(rec::recover0Request)
        .compose(q -> transport.call(edge, VaultMethod.RECOVER0, q, token))
        .compose(a -> work(() -> rec.afterRecover0(a)))
        .compose(
            step -> {
              if (step instanceof RecoveryStep.Done<?> done) {
                return Future.succeededFuture(toPublic(done.result()));
              }
              var q1 =
                  ((RecoveryStep.Send<dev.fleetvault.protocol.wire.Recover1Request>) step)
                      .request();
              return transport
                  .call(edge, VaultMethod.RECOVER1, q1, token)
                  .recover(
                      e -> {
                        if (e instanceof EdgeCallException ece
                            && ece.kind() == EdgeCallException.Kind.UNREACHABLE) {
                          return Future.failedFuture(e); // never sent: safe to start over elsewhere
                        }
                        // PROTOCOL.md 17 (retry rules): it may have been counted, so only these
                        // very bytes may
                        // go out again (the same attempt, never counted twice); new envelopes would
                        // be a new guess
                        if (e instanceof EdgeCallException ece && ece.edgeProblem()) {
                          return phase1Resend(order, edge, q1, token, ece);
                        }
                        return Future.failedFuture(new AfterGuess(e));
                      })
                  .compose(
                      a ->
                          work(() -> rec.afterRecover1(a))
                              .recover(e -> Future.failedFuture(new PhaseOneLost(e))))
                  .compose(
                      step1 -> {
                        if (step1 instanceof RecoveryStep.Done<?> done) {
                          return Future.succeededFuture(toPublic(done.result()));
                        }
                        if (step1 instanceof RecoveryStep.Restart<?>) {
                          return guess(edge, order, rec, token);
                        }
                        Recover2Request q2 = ((RecoveryStep.Send<Recover2Request>) step1).request();
                        return phase2(order, edge, rec, q2, token);
                      });
            });
  }

  /**
   * Re-sends the identical phase-1 request after {@code first} failed in a way that may have
   * reached the members: to each other edge, then once more to {@code first}, stopping at the first
   * answer (PROTOCOL.md 17).
   */
  private Future<dev.fleetvault.protocol.wire.Recover1Response> phase1Resend(
      List<Edge> order,
      Edge first,
      dev.fleetvault.protocol.wire.Recover1Request q1,
      String token,
      EdgeCallException firstFailure) {
    List<Edge> tries = new ArrayList<>();
    order.stream().filter(e -> !e.equals(first)).forEach(tries::add);
    tries.add(first);
    return phase1Try(tries, 0, q1, token, firstFailure);
  }

  private Future<dev.fleetvault.protocol.wire.Recover1Response> phase1Try(
      List<Edge> tries,
      int i,
      dev.fleetvault.protocol.wire.Recover1Request q1,
      String token,
      Throwable last) {
    if (i >= tries.size()) {
      return Future.failedFuture(new PhaseOneLost(last));
    }
    return transport
        .call(tries.get(i), VaultMethod.RECOVER1, q1, token)
        .recover(
            e -> {
              if (e instanceof EdgeCallException ece && ece.edgeProblem()) {
                return phase1Try(tries, i + 1, q1, token, ece);
              }
              return Future.failedFuture(new AfterGuess(e));
            });
  }

  /**
   * After a lost phase-1 answer: asks the members with a free phase 0 naming the attempt id whether
   * they counted it (PROTOCOL.md 9.1a), on each edge in turn, for {@link #ATTEMPT_CHECK_ROUNDS}
   * rounds with a doubling pause. Only a majority of authenticated member answers decides ({@link
   * AttemptCheck}); an edge can delay the verdict, never forge it.
   */
  private Future<RecoverResult> resolveGuess(
      List<Edge> order, Recovery rec, String token, String reason, int round) {
    if (round >= ATTEMPT_CHECK_ROUNDS) {
      return Future.succeededFuture(
          new RecoverResult.Unavailable(
              reason
                  + " (after the guess was sent: it may have been counted; the members could not say)",
              RecoverResult.Guess.MAY_HAVE_BEEN_COUNTED,
              -1));
    }
    Promise<Void> pause = Promise.promise();
    vertx.setTimer(ATTEMPT_CHECK_FIRST_DELAY_MS << round, id -> pause.complete());
    return pause
        .future()
        .compose(v -> checkOn(order, 0, rec, token))
        .compose(
            verdict -> {
              switch (verdict.kind()) {
                case COUNTED:
                  return Future.succeededFuture(
                      new RecoverResult.Unavailable(
                          reason
                              + " (after the guess was sent: a majority of members counted it; "
                              + verdict.guessesRemaining()
                              + " guesses left)",
                          RecoverResult.Guess.COUNTED,
                          verdict.guessesRemaining()));
                case NOT_COUNTED:
                  return Future.succeededFuture(
                      new RecoverResult.Unavailable(
                          reason
                              + " (after the guess was sent: a majority of members did not count it)",
                          RecoverResult.Guess.NOT_COUNTED,
                          verdict.guessesRemaining()));
                default:
                  return resolveGuess(order, rec, token, reason, round + 1);
              }
            });
  }

  /**
   * One attempt check on {@code order[i]}, the next edge on a failed call; UNKNOWN when no edge
   * answered.
   */
  private Future<AttemptCheck.Verdict> checkOn(
      List<Edge> order, int i, Recovery rec, String token) {
    if (i >= order.size()) {
      return Future.succeededFuture(
          new AttemptCheck.Verdict(AttemptCheck.Verdict.Kind.UNKNOWN, -1, Set.of()));
    }
    AttemptCheck check = rec.attemptCheck().orElseThrow();
    return work(check::request)
        .compose(q -> transport.call(order.get(i), VaultMethod.RECOVER0, q, token))
        .compose(a -> work(() -> check.verdict(a)))
        .transform(
            ar ->
                ar.succeeded() && ar.result().kind() != AttemptCheck.Verdict.Kind.UNKNOWN
                    ? Future.succeededFuture(ar.result())
                    : checkOn(order, i + 1, rec, token));
  }

  /**
   * Phase 2 on {@code first}, then on the other edges with the same request (it spends nothing
   * more).
   */
  private Future<RecoverResult> phase2(
      List<Edge> order, Edge first, Recovery rec, Recover2Request q2, String token) {
    List<Edge> tries = new ArrayList<>();
    tries.add(first);
    order.stream().filter(e -> !e.equals(first)).forEach(tries::add);
    return phase2Try(tries, 0, rec, q2, token, null);
  }

  private Future<RecoverResult> phase2Try(
      List<Edge> tries, int i, Recovery rec, Recover2Request q2, String token, Throwable last) {
    if (i >= tries.size()) {
      return Future.failedFuture(new AfterGuess(last));
    }
    Edge edge = tries.get(i);
    return transport
        .call(edge, VaultMethod.RECOVER2, q2, token)
        .transform(
            ar -> {
              if (ar.succeeded()) {
                return work(() -> toPublic(rec.afterRecover2(ar.result())))
                    .recover(e -> Future.failedFuture(new AfterGuess(e)));
              }
              if (ar.cause() instanceof EdgeCallException ece && ece.edgeProblem()) {
                return phase2Try(tries, i + 1, rec, q2, token, ece);
              }
              return Future.failedFuture(new AfterGuess(ar.cause()));
            });
  }

  // ---------------------------------------------------------------- delete, status

  @Override
  public CompletionStage<DeleteResult> delete(String user) {
    byte[] userId = userId(user);
    return token(user)
        .compose(token -> deleteOn(edgeOrder(), 0, userId, token, "no edge tried"))
        .toCompletionStage();
  }

  private Future<DeleteResult> deleteOn(
      List<Edge> order, int i, byte[] userId, String token, String lastReason) {
    if (i >= order.size()) {
      return Future.succeededFuture(new DeleteResult.Unavailable(lastReason));
    }
    Edge edge = order.get(i);
    Future<DeleteResult> run =
        realmFor(edge)
            .compose(
                r ->
                    work(() -> Deletion.begin(r, options.appId(), userId, random))
                        .compose(
                            del ->
                                work(del::request)
                                    .compose(
                                        q -> transport.call(edge, VaultMethod.DELETE, q, token))
                                    .compose(
                                        a ->
                                            work(
                                                () -> {
                                                  dev.fleetvault.protocol.flow.DeleteResult d =
                                                      del.finish(a);
                                                  if (d.confirmed().size() >= r.threshold()) {
                                                    return (DeleteResult)
                                                        new DeleteResult.Deleted(d.confirmed());
                                                  }
                                                  throw new InsufficientAnswersException(
                                                      "delete",
                                                      d.confirmed().size(),
                                                      r.threshold(),
                                                      Set.of());
                                                }))));
    return run.transform(
        ar -> {
          if (ar.succeeded()) {
            worked(edge);
            return Future.succeededFuture(ar.result());
          }
          String reason = retryReason(ar.cause());
          if (reason != null) {
            return deleteOn(order, i + 1, userId, token, reason);
          }
          return Future.failedFuture(toPublic(ar.cause()));
        });
  }

  @Override
  public CompletionStage<FleetStatus> status() {
    return statusOn(edgeOrder(), 0, "no edge tried")
        .map(
            p ->
                new FleetStatus(
                    p.edge,
                    p.status.getFleetId(),
                    p.status.getMembers(),
                    p.status.getThreshold(),
                    Set.copyOf(p.status.getReachableMembersList()),
                    p.status.getMajorityReachable(),
                    p.status.getLeader() == 0
                        ? Optional.empty()
                        : Optional.of("member " + p.status.getLeader())))
        .toCompletionStage();
  }

  private record EdgeStatus(Edge edge, StatusResponse status) {}

  private Future<EdgeStatus> statusOn(List<Edge> order, int i, String lastReason) {
    if (i >= order.size()) {
      return Future.failedFuture(
          new FleetvaultException(
              FleetvaultException.Code.UNAVAILABLE, "no edge answered: " + lastReason));
    }
    Edge edge = order.get(i);
    StatusRequest q =
        StatusRequest.newBuilder()
            .setVersion(WireVersion.VERSION_1)
            .setSuite(WireVersion.SUITE_P256_SHA256)
            .setKnownBundleEpoch(options.realm().knownEpoch())
            .setKnownTreeSize(options.realm().knownTreeSize())
            .build();
    return transport
        .call(edge, VaultMethod.STATUS, q, null)
        .map(s -> new EdgeStatus(edge, s))
        .recover(
            e ->
                e instanceof EdgeCallException ece && ece.edgeProblem()
                    ? statusOn(order, i + 1, ece.getMessage())
                    : Future.failedFuture(toPublic(e)));
  }

  // ---------------------------------------------------------------- helpers

  private Future<RealmConfig> realmFor(Edge edge) {
    if (!options.realm().needsStatus()) {
      RealmConfig r = realm;
      if (r != null) {
        return Future.succeededFuture(r);
      }
      return work(() -> options.realm().realm(null))
          .andThen(
              ar -> {
                if (ar.succeeded()) {
                  realm = ar.result();
                }
              });
    }
    StatusRequest q =
        StatusRequest.newBuilder()
            .setVersion(WireVersion.VERSION_1)
            .setSuite(WireVersion.SUITE_P256_SHA256)
            .setKnownBundleEpoch(options.realm().knownEpoch())
            .setKnownTreeSize(options.realm().knownTreeSize())
            .build();
    // A bundle-verified realm is re-checked at the start of every session (a rotated fleet is
    // picked up).
    return transport
        .call(edge, VaultMethod.STATUS, q, null)
        .compose(s -> work(() -> options.realm().realm(s)));
  }

  private Future<String> token(String user) {
    try {
      return Future.fromCompletionStage(options.tokens().tokenFor(user), vertx.getOrCreateContext())
          .recover(
              e ->
                  Future.failedFuture(
                      new FleetvaultException(
                          FleetvaultException.Code.UNAUTHENTICATED,
                          "the token supplier failed: " + e.getClass().getSimpleName(),
                          e)));
    } catch (RuntimeException e) {
      return Future.failedFuture(
          new FleetvaultException(
              FleetvaultException.Code.UNAUTHENTICATED,
              "the token supplier failed: " + e.getClass().getSimpleName(),
              e));
    }
  }

  private <T> Future<T> work(Callable<T> task) {
    return vertx.executeBlocking(task, false);
  }

  private List<Edge> edgeOrder() {
    List<Edge> edges = options.edges();
    int start = Math.floorMod(preferred.get(), edges.size());
    List<Edge> order = new ArrayList<>(edges.size());
    for (int k = 0; k < edges.size(); k++) {
      order.add(edges.get((start + k) % edges.size()));
    }
    return order;
  }

  private void worked(Edge edge) {
    int idx = options.edges().indexOf(edge);
    if (idx >= 0) {
      preferred.set(idx);
    }
  }

  /**
   * A reason to try the next edge (the failure was the edge's or the fleet's availability), or
   * null.
   */
  private static String retryReason(Throwable e) {
    if (e instanceof EdgeCallException ece && ece.edgeProblem()) {
      return ece.getMessage();
    }
    if (e instanceof InsufficientAnswersException) {
      return e.getMessage();
    }
    return null;
  }

  private static byte[] userId(String user) {
    if (user == null || user.isEmpty()) {
      throw new IllegalArgumentException("the user id is empty");
    }
    byte[] id = user.getBytes(StandardCharsets.UTF_8);
    if (id.length > 128) {
      throw new IllegalArgumentException("the user id is longer than 128 bytes");
    }
    return id;
  }

  private static RecoverResult toPublic(dev.fleetvault.protocol.flow.RecoverResult r) {
    if (r instanceof dev.fleetvault.protocol.flow.RecoverResult.Recovered rec) {
      try (SecretBytes s = rec.secret()) {
        return new RecoverResult.Recovered(BackupSecret.copyAndWipe(s.copy()));
      }
    } else if (r instanceof dev.fleetvault.protocol.flow.RecoverResult.WrongPin w) {
      return new RecoverResult.WrongPin(w.guessesRemaining());
    } else if (r instanceof dev.fleetvault.protocol.flow.RecoverResult.NoGuesses) {
      return new RecoverResult.NoGuesses();
    } else if (r instanceof dev.fleetvault.protocol.flow.RecoverResult.PasskeyRefused p) {
      return new RecoverResult.PasskeyRefused(p.guessesRemaining());
    }
    return new RecoverResult.NotRegistered();
  }

  /**
   * Maps an internal failure to what the public API promises: {@link FleetvaultException} or an
   * argument error.
   */
  static RuntimeException toPublic(Throwable e) {
    if (e instanceof FleetvaultException fe) {
      return fe;
    }
    if (e instanceof IllegalArgumentException iae) {
      return iae;
    }
    if (e instanceof EdgeCallException ece) {
      return new FleetvaultException(codeOf(ece.code()), ece.getMessage(), ece);
    }
    if (e instanceof FlowException fe) {
      return new FleetvaultException(
          FleetvaultException.Code.VERIFICATION_FAILED, fe.getMessage(), fe);
    }
    return new FleetvaultException(
        FleetvaultException.Code.INTERNAL,
        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
        e);
  }

  private static FleetvaultException.Code codeOf(String code) {
    switch (code) {
      case "unauthenticated":
      case "permission_denied":
        return FleetvaultException.Code.UNAUTHENTICATED;
      case "bad_request":
      case "unsupported_version":
      case "too_large":
      case "unknown_method":
      case "replayed":
      case "failed_precondition":
        return FleetvaultException.Code.INVALID_ARGUMENT;
      case "rate_limited":
      case "hsm_busy":
        return FleetvaultException.Code.RESOURCE_EXHAUSTED;
      case "bad_response":
        return FleetvaultException.Code.VERIFICATION_FAILED;
      case "no_majority":
      case "timeout":
      case "not_ready":
      case "unreachable":
      case "lost":
        return FleetvaultException.Code.UNAVAILABLE;
      default:
        return FleetvaultException.Code.INTERNAL;
    }
  }

  @Override
  public BlockingFleetvaultClient blocking() {
    return new BlockingView(this);
  }

  @Override
  public void close() {
    // Closing our own Vert.x closes its clients too; waiting for a graceful HTTP/2 shutdown of
    // every
    // connection would only delay the caller, so the wait is short and best effort.
    Future<Void> f = ownsVertx ? vertx.close() : transport.close();
    try {
      f.toCompletionStage().toCompletableFuture().get(2, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing is best effort
    }
  }
}
