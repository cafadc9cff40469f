package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.wire.MemberRecord;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResponse;
import dev.fleetvault.protocol.wire.Phase;
import java.security.SecureRandom;

/**
 * The trusted logic of one member: pure functions of the opened request, the member's
 * decrypted record, the ledger's committed row and randomness. The gateway does all I/O
 * (HSM ECDH and record sealing, record store, ledger commits) in the order each step names;
 * see /work/team/api-protocol-flows.md and PROTOCOL.md "Member steps".
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>No I/O, no clock; randomness only from the {@link SecureRandom} given at construction.</li>
 *   <li>{@link #open} accepts only envelopes sealed to this member for this phase and user
 *       (HPKE info binds user, member, phase, version, suite); anything else throws
 *       {@link BadRequestException} and nothing must be committed.</li>
 *   <li>The OPRF is evaluated only in {@link #recover1Granted}, only with an
 *       {@link AttemptGranted} for exactly this request's attempt id.</li>
 *   <li>The unlock tag is compared in constant time; a masked share leaves only in a
 *       {@link Recover2Step.CommitSuccess} response the gateway may send after the ledger
 *       committed the success.</li>
 *   <li>Every answer is sealed to the client under a key exported from the request's HPKE
 *       context; the edge can neither read nor forge it.</li>
 * </ul>
 * Thread-safe if the {@link SecureRandom} is.
 */
public final class MemberLogic {
  /**
   * The logic of member {@code memberIndex} (1..n) whose HPKE public key (its HSM key) is
   * {@code hpkePublicKeyUncompressed} (65 bytes).
   */
  public MemberLogic(int memberIndex, byte[] hpkePublicKeyUncompressed, SecureRandom random) {
    throw new UnsupportedOperationException("not yet");
  }

  /** This member's index. */
  public int memberIndex() {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Opens the envelope of {@code request} (already checked with {@code WireCodec.check}) for
   * {@code phase}, given {@code dhResult} = the 32-byte x-coordinate of skR·enc that the HSM
   * computed ({@code HsmDriver.ecdh(hpkeKey, request.getRequest().getEnc())}).
   *
   * @throws BadRequestException if it does not open or its payload is malformed
   */
  public OpenedRequest open(Phase phase, MemberRequest request, byte[] dhResult) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Register round 1: answers the member's current version (from {@code row}); commits nothing. */
  public MemberResponse register1(OpenedRequest request, LedgerRow row) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Register round 2: validates the payload and builds the record to store, or a refusal. */
  public Register2Step register2(OpenedRequest request, LedgerRow row) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Register round 2, after the ledger committed {@code register(user, version, ...)}. */
  public MemberResponse register2Committed(OpenedRequest request, long version) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Register round 2, when the ledger refused the version as not above {@code currentVersion}. */
  public MemberResponse register2Stale(OpenedRequest request, long currentVersion) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Recover phase 0 (free): version, salt, commitments, counters. {@code record} is the
   * unsealed record at {@code row.version()} (null if the row is not REGISTERED).
   */
  public MemberResponse recover0(OpenedRequest request, LedgerRow row, MemberRecord record) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Recover phase 1, step 1: validates the blinded element and computes the attempt id to commit. */
  public Recover1Step recover1(OpenedRequest request, LedgerRow row, MemberRecord record) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Recover phase 1, step 2: evaluates Z = k_i·B with a DLEQ proof, only for the committed attempt. */
  public MemberResponse recover1Granted(OpenedRequest request, MemberRecord record, AttemptGranted grant) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Recover phase 1, step 2 when the ledger refused the attempt because the limit was reached. */
  public MemberResponse recover1NoGuesses(OpenedRequest request) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Recover phase 2: constant-time tag check; what to commit and what to answer. */
  public Recover2Step recover2(OpenedRequest request, LedgerRow row, MemberRecord record) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Delete, after the ledger committed this member's {@code delete(user)} (also if there was nothing). */
  public MemberResponse deleted(OpenedRequest request) {
    throw new UnsupportedOperationException("not yet");
  }
}
