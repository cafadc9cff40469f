package dev.fleetvault.protocol.wire;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Small builders for the edge's fan-out: one client request's envelopes become one {@link
 * MemberRequest} per member; each member's {@link MemberResponse} (or its absence) becomes a {@link
 * MemberResult}. The edge never opens anything.
 *
 * <h2>Guarantees</h2>
 *
 * Outputs pass {@link WireCodec#check}; inputs are assumed already checked.
 */
public final class EdgeMessages {
  private EdgeMessages() {}

  /** The member-bound request carrying {@code envelope} for {@code userId}. */
  public static MemberRequest toMember(ByteString userId, SealedRequest envelope) {
    return MemberRequest.newBuilder()
        .setVersion(WireVersion.VERSION_1)
        .setSuite(WireVersion.SUITE_P256_SHA256)
        .setUserId(Objects.requireNonNull(userId, "userId"))
        .setRequest(Objects.requireNonNull(envelope, "envelope"))
        .build();
  }

  /** The result for a member that answered (the response must be checked first). */
  public static MemberResult answered(MemberResponse response) {
    SealedAnswer a = response.getAnswer();
    return MemberResult.newBuilder().setMember(a.getMember()).setAnswer(a).build();
  }

  /** The result for a member that did not answer; {@code reason} is cut to 200 bytes. */
  public static MemberResult unavailable(int member, String reason) {
    String r = reason == null ? "" : reason;
    while (r.getBytes(StandardCharsets.UTF_8).length > WireLimits.MAX_REASON) {
      r = r.substring(0, r.length() - 1);
    }
    return MemberResult.newBuilder()
        .setMember(member)
        .setUnavailable(MemberUnavailable.newBuilder().setReason(r))
        .build();
  }
}
