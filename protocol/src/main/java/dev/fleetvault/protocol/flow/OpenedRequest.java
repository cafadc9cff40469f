package dev.fleetvault.protocol.flow;

import com.google.protobuf.Message;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.Phase;

/**
 * A member request whose HPKE envelope was opened by {@link MemberLogic#open}: the phase, user, the
 * decoded *Payload and the key that seals this request's answer. Pass it back to the matching
 * {@link MemberLogic} phase method; it is single-use and must not be shared.
 *
 * <h2>Guarantees</h2>
 *
 * Exists only if the envelope opened under this member's key with this (fleet, app, user, member,
 * phase, version, suite) bound in and the payload passed {@code WireCodec} checks. {@link
 * #toString()} shows no content. {@link #close()} wipes the answer key.
 */
public final class OpenedRequest implements AutoCloseable {
  private final Phase phase;
  private final String fleetId;
  private final String appId;
  private final byte[] userId;
  private final int member;
  private final Message payload;
  private final SecretBytes answerKey;

  OpenedRequest(
      Phase phase,
      String fleetId,
      String appId,
      byte[] userId,
      int member,
      Message payload,
      SecretBytes answerKey) {
    this.phase = phase;
    this.fleetId = fleetId;
    this.appId = appId;
    this.userId = userId.clone();
    this.member = member;
    this.payload = payload;
    this.answerKey = answerKey;
  }

  /** The phase the envelope was sealed for. */
  public Phase phase() {
    return phase;
  }

  /** The user id bound into the envelope. */
  public byte[] userId() {
    return userId.clone();
  }

  /** The fleet id bound into the envelope (this member's fleet). */
  public String fleetId() {
    return fleetId;
  }

  /** The app id bound into the envelope (the caller's verified app). */
  public String appId() {
    return appId;
  }

  /** {@link LedgerKeys#of}(app id, user id): the key of this user's ledger rows and records. */
  public String ledgerKey() {
    return LedgerKeys.of(appId, userId);
  }

  /**
   * The HSM seal/unseal associated data of this user's record at {@code version} at this member.
   */
  public byte[] recordAad(long version) {
    return MemberRecords.sealAad(fleetId, appId, userId, version, member);
  }

  /** This member's index. */
  public int member() {
    return member;
  }

  Message payload() {
    return payload;
  }

  SecretBytes answerKey() {
    return answerKey;
  }

  @Override
  public void close() {
    answerKey.wipe();
  }

  @Override
  public String toString() {
    return "OpenedRequest[" + phase + ", member " + member + "]";
  }
}
