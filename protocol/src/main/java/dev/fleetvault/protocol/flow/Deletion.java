package dev.fleetvault.protocol.flow;

import com.google.protobuf.ByteString;
import dev.fleetvault.protocol.flow.parts.ClientRound;
import dev.fleetvault.protocol.wire.DeletePayload;
import dev.fleetvault.protocol.wire.DeleteReply;
import dev.fleetvault.protocol.wire.DeleteRequest;
import dev.fleetvault.protocol.wire.DeleteResponse;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.ReplyStatus;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireVersion;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Client side of deletion (PROTOCOL.md "Deletion"): one round trip; the app token at the edge
 * authorizes it, no PIN. Each member commits its own signed deletion.
 *
 * <h2>Guarantees</h2>
 *
 * No I/O, no clock. Only authenticated answers count as confirmations. Single use.
 */
public final class Deletion {
  private final RealmConfig realm;
  private final String appId;
  private final byte[] userId;
  private final SecureRandom random;
  private ClientRound round;
  private boolean finished;

  private Deletion(RealmConfig realm, String appId, byte[] userId, SecureRandom random) {
    this.realm = realm;
    this.appId = appId;
    this.userId = userId;
    this.random = random;
  }

  /** Starts a deletion for user {@code userId} of app {@code appId}. */
  public static Deletion begin(
      RealmConfig realm, String appId, byte[] userId, SecureRandom random) {
    Objects.requireNonNull(realm, "realm");
    LedgerKeys.requireAppId(appId);
    Objects.requireNonNull(random, "random");
    Registration.checkUserId(userId);
    return new Deletion(realm, appId, userId.clone(), random);
  }

  /** The request, sealed to every member. */
  public DeleteRequest request() {
    if (round != null) {
      throw new IllegalStateException("Deletion: request() called twice");
    }
    Map<Integer, DeletePayload> payloads = new HashMap<>();
    for (int i = 1; i <= realm.size(); i++) {
      payloads.put(i, DeletePayload.getDefaultInstance());
    }
    round = ClientRound.seal(realm, Phase.PHASE_DELETE, appId, userId, payloads, random);
    return DeleteRequest.newBuilder()
        .setVersion(WireVersion.VERSION_1)
        .setSuite(WireVersion.SUITE_P256_SHA256)
        .setUserId(ByteString.copyFrom(userId))
        .addAllRequests(round.requests())
        .build();
  }

  /** Which members confirmed. */
  public DeleteResult finish(DeleteResponse response) {
    if (round == null || finished) {
      throw new IllegalStateException("Deletion: finish() before request() or twice");
    }
    finished = true;
    try {
      WireCodec.check(response);
      Set<Integer> flagged = new TreeSet<>();
      Map<Integer, DeleteReply> replies =
          round.open(response.getResultsList(), DeleteReply.class, flagged);
      Set<Integer> confirmed = new TreeSet<>();
      Set<Integer> unconfirmed = new TreeSet<>();
      for (int i = 1; i <= realm.size(); i++) {
        DeleteReply r = replies.get(i);
        if (r != null && r.getStatus() == ReplyStatus.REPLY_STATUS_OK) {
          confirmed.add(i);
        } else {
          unconfirmed.add(i);
        }
      }
      return new DeleteResult(confirmed, unconfirmed);
    } finally {
      round.close();
    }
  }
}
