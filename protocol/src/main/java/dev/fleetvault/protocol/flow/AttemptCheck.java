package dev.fleetvault.protocol.flow;

import com.google.protobuf.ByteString;
import dev.fleetvault.protocol.flow.parts.ClientRound;
import dev.fleetvault.protocol.wire.AttemptStatus;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.Recover0Payload;
import dev.fleetvault.protocol.wire.Recover0Reply;
import dev.fleetvault.protocol.wire.Recover0Request;
import dev.fleetvault.protocol.wire.Recover0Response;
import dev.fleetvault.protocol.wire.ReplyStatus;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireVersion;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Client side of "was my guess counted?" (PROTOCOL.md 9.1a): a phase 0 that names the attempt id of
 * a phase-1 request whose answer was lost. Single use: {@link #request()}, then {@link
 * #verdict(Recover0Response)}.
 *
 * <h2>Guarantees</h2>
 *
 * Only answers that open under this round's answer keys count: each is authenticated as member
 * {@code i}'s (section 5), so an edge can neither forge nor alter one; answers that do not open or
 * decode are flagged and ignored. The verdict is {@link Verdict.Kind#COUNTED} only when at least
 * {@code t} members say so, {@link Verdict.Kind#NOT_COUNTED} only when at least {@code t} members
 * say so; with at most {@code t − 1} compromised members either verdict therefore includes an
 * honest member's own replica, read through the log. Anything else (fewer answers, a split, members
 * that do not know the question) is {@link Verdict.Kind#UNKNOWN}. Phase 0 spends nothing, so a
 * check may be repeated.
 */
public final class AttemptCheck {
  private final RealmConfig realm;
  private final String appId;
  private final byte[] userId;
  private final byte[] attemptId;
  private final SecureRandom random;
  private final Set<Integer> flagged = new TreeSet<>();
  private ClientRound round;

  /** The outcome of one check. */
  public record Verdict(Kind kind, int guessesRemaining, Set<Integer> flagged) {
    /** What a majority of members said about the attempt. */
    public enum Kind {
      /** At least {@code t} members: counted in the registration's current generation. */
      COUNTED,
      /** At least {@code t} members: not counted in the current generation. */
      NOT_COUNTED,
      /** No majority either way. */
      UNKNOWN
    }

    public Verdict {
      Objects.requireNonNull(kind, "kind");
      flagged = Set.copyOf(flagged);
    }
  }

  private AttemptCheck(
      RealmConfig realm, String appId, byte[] userId, byte[] attemptId, SecureRandom random) {
    this.realm = realm;
    this.appId = appId;
    this.userId = userId;
    this.attemptId = attemptId;
    this.random = random;
  }

  /**
   * A check of {@code attemptId} (32 bytes, PROTOCOL.md 6.5) for user {@code userId} of app {@code
   * appId}.
   */
  public static AttemptCheck of(
      RealmConfig realm, String appId, byte[] userId, byte[] attemptId, SecureRandom random) {
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(random, "random");
    LedgerKeys.requireAppId(appId);
    Registration.checkUserId(userId);
    if (attemptId == null || attemptId.length != 32) {
      throw new IllegalArgumentException("an attempt id is 32 bytes");
    }
    return new AttemptCheck(realm, appId, userId.clone(), attemptId.clone(), random);
  }

  /** The phase-0 request naming the attempt, sealed to every member of the realm. */
  public Recover0Request request() {
    if (round != null) {
      throw new IllegalStateException("AttemptCheck: request() called twice");
    }
    Recover0Payload payload =
        Recover0Payload.newBuilder().setAttemptId(ByteString.copyFrom(attemptId)).build();
    Map<Integer, Recover0Payload> payloads = new TreeMap<>();
    for (int i = 1; i <= realm.size(); i++) {
      payloads.put(i, payload);
    }
    round = ClientRound.seal(realm, Phase.PHASE_RECOVER0, appId, userId, payloads, random);
    return Recover0Request.newBuilder()
        .setVersion(WireVersion.VERSION_1)
        .setSuite(WireVersion.SUITE_P256_SHA256)
        .setUserId(ByteString.copyFrom(userId))
        .addAllRequests(round.requests())
        .build();
  }

  /**
   * The verdict of the members' authenticated answers. {@code guessesRemaining} is the smallest
   * count among the members that make up the verdict (0 for a member whose row is NO_GUESSES), or
   * -1 for UNKNOWN.
   *
   * @throws dev.fleetvault.protocol.wire.WireFormatException if the response itself is malformed
   */
  public Verdict verdict(Recover0Response response) {
    if (round == null) {
      throw new IllegalStateException("AttemptCheck: verdict() before request()");
    }
    try {
      WireCodec.check(response);
      Map<Integer, Recover0Reply> replies =
          round.open(response.getResultsList(), Recover0Reply.class, flagged);
      int counted = 0;
      int notCounted = 0;
      int countedMin = Integer.MAX_VALUE;
      int notCountedMin = Integer.MAX_VALUE;
      for (Recover0Reply r : replies.values()) {
        int left = r.getStatus() == ReplyStatus.REPLY_STATUS_OK ? r.getGuessesRemaining() : 0;
        if (r.getAttemptStatus() == AttemptStatus.ATTEMPT_STATUS_COUNTED) {
          counted++;
          countedMin = Math.min(countedMin, left);
        } else if (r.getAttemptStatus() == AttemptStatus.ATTEMPT_STATUS_NOT_COUNTED) {
          notCounted++;
          notCountedMin = Math.min(notCountedMin, left);
        }
      }
      int t = realm.threshold();
      if (counted >= t) {
        return new Verdict(Verdict.Kind.COUNTED, countedMin, flagged);
      }
      if (notCounted >= t) {
        return new Verdict(Verdict.Kind.NOT_COUNTED, notCountedMin, flagged);
      }
      return new Verdict(Verdict.Kind.UNKNOWN, -1, flagged);
    } finally {
      round.close();
    }
  }
}
