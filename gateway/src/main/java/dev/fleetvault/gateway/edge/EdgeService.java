package dev.fleetvault.gateway.edge;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.fleetvault.gateway.auth.Caller;
import dev.fleetvault.gateway.auth.RateLimiter;
import dev.fleetvault.gateway.auth.TokenVerifier;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.Errors;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.gateway.peer.PeerClients;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResult;
import dev.fleetvault.protocol.wire.MemberUnavailable;
import dev.fleetvault.protocol.wire.SealedRequest;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireFormatException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The edge role, shared by the gRPC and WebSocket transports: checks the caller (address rate
 * limit, versions, app token, user match, user rate limit, envelope shapes), forwards each member's
 * sealed request untouched to that member over the internal service, and returns the members'
 * sealed answers. It opens nothing, evaluates nothing and proposes nothing to the ledger.
 *
 * <p>Outcome: the per-member results when at least a threshold of members answered; otherwise the
 * most common member error, or {@link ErrorCode#NO_MAJORITY} when members were unreachable or had
 * no majority (a guess is never spent without a majority: members commit first).
 */
public final class EdgeService {
  /** HPKE encapsulated key length (SEC1 uncompressed P-256). */
  public static final int ENC_BYTES = 65;

  /** Longest user id in bytes. */
  public static final int MAX_USER_ID_BYTES = 128;

  private final TokenVerifier tokens;
  private final RateLimiter perUser;
  private final RateLimiter perAddress;
  private final PeerClients peers;
  private final BundleSource bundles;
  private final int threshold;
  private final int maxCiphertext;
  private final long timeoutMs;

  /**
   * @param tokens app-token verifier
   * @param perUser per-user limiter
   * @param perAddress per-address limiter
   * @param peers clients for the members' internal service
   * @param bundles the validation-bundle hook
   * @param threshold members that must answer
   * @param maxMessageBytes bound on each envelope
   * @param timeoutMs how long to wait for members
   */
  public EdgeService(
      TokenVerifier tokens,
      RateLimiter perUser,
      RateLimiter perAddress,
      PeerClients peers,
      BundleSource bundles,
      int threshold,
      int maxMessageBytes,
      long timeoutMs) {
    this.tokens = tokens;
    this.perUser = perUser;
    this.perAddress = perAddress;
    this.peers = peers;
    this.bundles = bundles;
    this.threshold = threshold;
    this.maxCiphertext =
        Math.min(maxMessageBytes, dev.fleetvault.protocol.wire.WireLimits.MAX_SEALED_REQUEST);
    this.timeoutMs = timeoutMs;
  }

  /** Checks the address limit before anything else is parsed (transports call it first). */
  public void admitAddress(String remoteAddress) {
    if (!perAddress.tryAcquire(remoteAddress == null ? "?" : remoteAddress)) {
      throw new FleetvaultException(
          ErrorCode.RATE_LIMITED, "too many requests from this address; retry later");
    }
  }

  /** Handles one fan-out request; {@code token} is the raw token or "Bearer ..." value. */
  public Future<Message> handle(VaultMethod method, Message request, String token) {
    VaultMethod.RequestView v = method.view(request);
    try {
      WireCodec.check(request); // the version/suite check, then every field rule
    } catch (WireFormatException e) {
      return Future.failedFuture(Errors.wire(e));
    }
    return tokens
        .verify(token)
        .compose(
            caller -> {
              check(v, caller);
              return fanOut(method, v, token);
            });
  }

  private void check(VaultMethod.RequestView v, Caller caller) {
    byte[] user = caller.userId().getBytes(StandardCharsets.UTF_8);
    if (v.userId().isEmpty() || v.userId().size() > MAX_USER_ID_BYTES) {
      throw bad("user_id must be 1-" + MAX_USER_ID_BYTES + " bytes");
    }
    // the token's user, or that user's passkey entry (PROTOCOL.md 21.1)
    if (!dev.fleetvault.protocol.passkey.PasskeyEntry.authorizes(
        caller.userId(), v.userId().toByteArray())) {
      throw new FleetvaultException(
          ErrorCode.PERMISSION_DENIED, "the token is for another user than user_id");
    }
    if (!perUser.tryAcquire(caller.recordKey())) {
      throw new FleetvaultException(
          ErrorCode.RATE_LIMITED, "too many requests for this user; retry later");
    }
    int n = peers.size();
    if (v.requests().isEmpty() || v.requests().size() > n) {
      throw bad("requests must hold 1.." + n + " sealed requests");
    }
    boolean[] seen = new boolean[n + 1];
    for (SealedRequest r : v.requests()) {
      if (r.getMember() < 1 || r.getMember() > n || seen[r.getMember()]) {
        throw bad("each sealed request must name a distinct member 1.." + n);
      }
      seen[r.getMember()] = true;
      if (r.getEnc().size() != ENC_BYTES) {
        throw bad("enc must be a " + ENC_BYTES + "-byte uncompressed P-256 point");
      }
      if (r.getCiphertext().size() < 16 || r.getCiphertext().size() > maxCiphertext) {
        throw bad("ciphertext length out of range");
      }
    }
  }

  /**
   * The envelope for this answer (PROTOCOL.md 13.9): consistent from the client's {@code
   * known_tree_size}, or none when the client already holds exactly that epoch and checkpoint, or
   * none when the source has nothing for that size (never an envelope from another base). Fetched
   * off the event loop when the source may block, while the members work.
   */
  private Future<ByteString> envelope(VaultMethod.RequestView v) {
    java.util.concurrent.Callable<ByteString> fetch =
        () -> {
          ByteString b = bundles.bundleFor(v.knownBundleEpoch(), v.knownTreeSize());
          return bundles.isCurrent(b, v.knownBundleEpoch(), v.knownTreeSize())
              ? ByteString.EMPTY
              : b;
        };
    io.vertx.core.Context ctx = io.vertx.core.Vertx.currentContext();
    if (bundles.mayBlock() && ctx != null) {
      return ctx.executeBlocking(fetch, false);
    }
    try {
      return Future.succeededFuture(fetch.call());
    } catch (Exception e) {
      return Future.succeededFuture(ByteString.EMPTY);
    }
  }

  /**
   * Calls every named member at once. Each call fails by itself at the deadline ({@link
   * PeerClients#call}); the answer is built as soon as every call finished, or {@link
   * #graceMs(long)} after the {@code min(t, requests)}-th answer arrived, whichever is first — so a
   * frozen or black-holed member delays an answer by at most that grace once {@code t} others
   * answered, and never past the deadline. A member still pending then is reported as {@code
   * MemberUnavailable{timeout}} (its call is cancelled by its own deadline).
   */
  private Future<Message> fanOut(VaultMethod method, VaultMethod.RequestView v, String token) {
    Future<ByteString> envelope = envelope(v).otherwise(ByteString.EMPTY);
    int need = Math.min(threshold, v.requests().size());
    List<Future<MemberResult>> calls = new ArrayList<>();
    for (SealedRequest r : v.requests()) {
      MemberRequest mr =
          MemberRequest.newBuilder()
              .setVersion(1)
              .setSuite(1)
              .setUserId(v.userId())
              .setRequest(r)
              .build();
      calls.add(
          peers
              .call(r.getMember(), method.memberRpc(), mr, token, timeoutMs)
              .map(
                  resp ->
                      MemberResult.newBuilder()
                          .setMember(r.getMember())
                          .setAnswer(resp.getAnswer())
                          .build())
              .otherwise(err -> unavailable(r.getMember(), Errors.classify(err).code())));
    }
    Promise<Void> settled = Promise.promise();
    io.vertx.core.Context ctx = io.vertx.core.Vertx.currentContext();
    int[] counts = new int[2]; // [finished, answered]; touched only on this request's context
    for (Future<MemberResult> f : calls) {
      f.onComplete(
          ar -> {
            counts[0]++;
            if (ar.succeeded() && ar.result().hasAnswer()) {
              counts[1]++;
              if (counts[1] == need && counts[0] < calls.size() && ctx != null) {
                ctx.owner().setTimer(graceMs(timeoutMs), id -> settled.tryComplete());
              }
            }
            if (counts[0] == calls.size()) {
              settled.tryComplete();
            }
          });
    }
    if (ctx != null) { // a last guard: answer by the deadline whatever a call does
      ctx.owner().setTimer(timeoutMs + graceMs(timeoutMs), id -> settled.tryComplete());
    }
    return settled
        .future()
        .transform(
            ignored -> {
              List<MemberResult> results = new ArrayList<>();
              Map<ErrorCode, Integer> errors = new EnumMap<>(ErrorCode.class);
              int answered = 0;
              for (int i = 0; i < calls.size(); i++) {
                Future<MemberResult> f = calls.get(i);
                MemberResult r =
                    f.isComplete()
                        ? f.result()
                        : unavailable(v.requests().get(i).getMember(), ErrorCode.TIMEOUT);
                results.add(r);
                if (r.hasAnswer()) {
                  answered++;
                } else {
                  errors.merge(ErrorCode.fromWire(r.getUnavailable().getReason()), 1, Integer::sum);
                }
              }
              if (answered >= need) {
                ByteString bundle = envelope.isComplete() ? envelope.result() : ByteString.EMPTY;
                return Future.succeededFuture(method.response(results, bundle));
              }
              return Future.failedFuture(summarise(errors));
            });
  }

  /**
   * How long the edge still waits for the other members once {@code t} answered: a tenth of the
   * deadline, at most one second.
   */
  static long graceMs(long timeoutMs) {
    return Math.max(1, Math.min(1000, timeoutMs / 10));
  }

  private static MemberResult unavailable(int member, ErrorCode code) {
    return MemberResult.newBuilder()
        .setMember(member)
        .setUnavailable(MemberUnavailable.newBuilder().setReason(code.wire()))
        .build();
  }

  private static FleetvaultException summarise(Map<ErrorCode, Integer> errors) {
    ErrorCode worst = null;
    int count = -1;
    for (Map.Entry<ErrorCode, Integer> e : errors.entrySet()) {
      if (e.getValue() > count) {
        worst = e.getKey();
        count = e.getValue();
      }
    }
    if (errors.containsKey(ErrorCode.TIMEOUT)
        && (worst == null || worst.grpcStatus() == io.vertx.grpc.common.GrpcStatus.UNAVAILABLE)) {
      // a member that timed out may still have applied the request (e.g. counted a guess)
      return new FleetvaultException(
          ErrorCode.TIMEOUT,
          "members did not answer in time ("
              + errors.get(ErrorCode.TIMEOUT)
              + " timed out): the request may have been applied by"
              + " some; re-send the identical request (PROTOCOL.md section 17)");
    }
    if (worst == null
        || worst.grpcStatus() == io.vertx.grpc.common.GrpcStatus.UNAVAILABLE
        || worst == ErrorCode.HSM_BUSY
        || worst == ErrorCode.INTERNAL) {
      return new FleetvaultException(
          ErrorCode.NO_MAJORITY,
          "fewer than a majority of members answered; nothing was spent, retry later");
    }
    return new FleetvaultException(worst, "members refused the request: " + worst.wire());
  }

  private static FleetvaultException bad(String message) {
    return new FleetvaultException(ErrorCode.BAD_REQUEST, message);
  }
}
