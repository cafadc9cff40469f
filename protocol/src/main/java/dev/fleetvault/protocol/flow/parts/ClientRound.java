package dev.fleetvault.protocol.flow.parts;

import com.google.protobuf.Message;
import dev.fleetvault.protocol.flow.RealmConfig;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.MemberResult;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.SealedRequest;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireFormatException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;

/**
 * One client round trip of one phase: the envelopes sent to the members and the keys their answers
 * are sealed under. Opens the answers it gets back and flags members whose answer does not
 * authenticate or decode.
 *
 * <p>API for the flows ({@code Registration}, {@code Recovery}, {@code Deletion}) and for tests and
 * tools that seal a round themselves. Guarantees: each member's request is sealed to that member's
 * key alone with fresh randomness; an answer is returned only if it authenticates under the key of
 * the request sent to that member and decodes as the expected message, otherwise the member is
 * flagged and its answer dropped; {@link #close()} wipes every answer key. Not thread-safe.
 */
public final class ClientRound implements AutoCloseable {
  private final Phase phase;
  private final String fleetId;
  private final String appId;
  private final byte[] userId;
  private final List<SealedRequest> requests = new ArrayList<>();
  private final Map<Integer, SecretBytes> answerKeys = new TreeMap<>();

  private ClientRound(Phase phase, String fleetId, String appId, byte[] userId) {
    this.phase = phase;
    this.fleetId = fleetId;
    this.appId = appId;
    this.userId = userId.clone();
  }

  /** Seals {@code payloads.get(i)} to member i for every i in the map. */
  public static ClientRound seal(
      RealmConfig realm,
      Phase phase,
      String appId,
      byte[] userId,
      Map<Integer, ? extends Message> payloads,
      SecureRandom random) {
    ClientRound round = new ClientRound(phase, realm.fleetId(), appId, userId);
    for (Map.Entry<Integer, ? extends Message> e : new TreeMap<>(payloads).entrySet()) {
      int i = e.getKey();
      Envelopes.Sealed s =
          Envelopes.seal(
              realm.member(i).hpkePublicKey(),
              i,
              phase,
              realm.fleetId(),
              appId,
              userId,
              e.getValue(),
              random);
      round.requests.add(s.request());
      round.answerKeys.put(i, s.answerKey());
    }
    return round;
  }

  /** The envelopes, in member order. */
  public List<SealedRequest> requests() {
    return List.copyOf(requests);
  }

  /** Members this round was sent to. */
  public Set<Integer> members() {
    return Set.copyOf(answerKeys.keySet());
  }

  /**
   * Opens every answer from a member this round was sent to. Returns the decoded replies by member;
   * adds to {@code flagged} each member whose answer is present but does not open or decode (the
   * edge or the member misbehaved). Unavailable and unsolicited results are ignored.
   */
  public <R extends Message> Map<Integer, R> open(
      List<MemberResult> results, Class<R> type, Set<Integer> flagged) {
    Map<Integer, R> out = new TreeMap<>();
    for (MemberResult r : results) {
      int i = r.getMember();
      SecretBytes key = answerKeys.get(i);
      if (key == null || !r.hasAnswer() || out.containsKey(i)) {
        continue;
      }
      byte[] pt = null;
      try {
        pt = Envelopes.openAnswer(key, phase, i, fleetId, appId, userId, r.getAnswer());
        out.put(i, WireCodec.decode(type, pt));
      } catch (AEADBadTagException | WireFormatException e) {
        flagged.add(i);
      } finally {
        Derive.wipe(pt);
      }
    }
    return out;
  }

  @Override
  public void close() {
    answerKeys.values().forEach(SecretBytes::wipe);
  }
}
