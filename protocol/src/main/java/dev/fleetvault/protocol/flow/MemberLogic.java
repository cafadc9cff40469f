package dev.fleetvault.protocol.flow;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.fleetvault.protocol.flow.parts.Derive;
import dev.fleetvault.protocol.flow.parts.Envelopes;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.InvalidEncodingException;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.hpke.Hpke;
import dev.fleetvault.protocol.passkey.PasskeyAssertionVerifier;
import dev.fleetvault.protocol.passkey.PasskeyDerivations;
import dev.fleetvault.protocol.passkey.PasskeyEntry;
import dev.fleetvault.protocol.passkey.PasskeyRefusedException;
import dev.fleetvault.protocol.passkey.RelyingParty;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.threshold.MemberEvaluation;
import dev.fleetvault.protocol.threshold.MemberKeyShare;
import dev.fleetvault.protocol.threshold.ThresholdOprfClient;
import dev.fleetvault.protocol.threshold.ThresholdOprfMember;
import dev.fleetvault.protocol.wire.AttemptStatus;
import dev.fleetvault.protocol.wire.DeletePayload;
import dev.fleetvault.protocol.wire.DeleteReply;
import dev.fleetvault.protocol.wire.MemberRecord;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResponse;
import dev.fleetvault.protocol.wire.PasskeyRecord;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.Recover0Payload;
import dev.fleetvault.protocol.wire.Recover0Reply;
import dev.fleetvault.protocol.wire.Recover1Payload;
import dev.fleetvault.protocol.wire.Recover1Reply;
import dev.fleetvault.protocol.wire.Recover2Payload;
import dev.fleetvault.protocol.wire.Recover2Reply;
import dev.fleetvault.protocol.wire.Register1Payload;
import dev.fleetvault.protocol.wire.Register1Reply;
import dev.fleetvault.protocol.wire.Register2Payload;
import dev.fleetvault.protocol.wire.Register2Reply;
import dev.fleetvault.protocol.wire.ReplyStatus;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireFormatException;
import dev.fleetvault.protocol.wire.WireLimits;
import dev.fleetvault.protocol.wire.WireVersion;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;

/**
 * The trusted core of one member: an I/O-free step machine (PROTOCOL.md §10 "Member steps"; the
 * shape of Juicebox's {@code hsm_core}). Each method is a pure function of the opened request, what
 * this member's own ledger replica applied (a {@link LedgerRow} or a {@link CommitWitness}), the
 * record plaintext the HSM unsealed, and randomness; it returns either the sealed reply or the next
 * effect the gateway (its interpreter) must perform: HSM ECDH, HSM seal/unseal, read row, commit
 * command, reply.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>No I/O, no clock; randomness only from the {@link SecureRandom} given at construction.
 *   <li>{@link #open} accepts only envelopes sealed to this member for this phase, fleet, app and
 *       user (HPKE info binds them); anything else throws {@link BadRequestException} and nothing
 *       must be committed.
 *   <li>{@code k_i·B} is evaluated only in {@link #recover1Evaluate}, only given a {@link
 *       CommitWitness} of kind ATTEMPT_GRANTED that covers exactly this member, ledger key, record
 *       version, the digest of the record plaintext it evaluates with, and the attempt id this
 *       member computed from the request.
 *   <li>A masked share is released only in {@link #recover2Release}, only if the unlock tag matches
 *       (constant time) and given a SUCCEEDED witness for exactly this request's attempt, record
 *       and version, or the ATTEMPT_GRANTED witness with {@code lastGuess()} for exactly that
 *       attempt (the record then exists only in the node's memory).
 *   <li>Any other witness: {@link IllegalArgumentException}; nothing is evaluated or released.
 *   <li>register2 enforces the {@link RegistrationPolicy} (n, t = majority, guess limit, PIN
 *       parameters), commitment consistency and {@code version <= MAX_RECORD_VERSION}; a refused
 *       payload throws {@link BadRequestException} and nothing is stored.
 *   <li>Every answer is sealed to the client under a key exported from the request's HPKE context;
 *       the edge can neither read nor forge it.
 *   <li>Passkey entries (PROTOCOL.md 21): {@link #recover1} names the {@code attempt} to commit
 *       only after the {@link PasskeyAssertionVerifier} accepted an assertion whose challenge is
 *       bound to exactly that attempt, checked against the passkey in the member's own
 *       (digest-checked) record; otherwise it answers PASSKEY_REFUSED and nothing is counted.
 *       register2 stores a passkey only with the app's configured {@link RelyingParty}.
 * </ul>
 *
 * Thread-safe if the {@link SecureRandom} is.
 */
public final class MemberLogic {
  private final int memberIndex;
  private final GroupElement publicKey;
  private final String fleetId;
  private final RegistrationPolicy policy;
  private final SecureRandom random;
  private final PasskeyAssertionVerifier passkeys;

  /**
   * As {@link #MemberLogic(int, byte[], String, RegistrationPolicy, SecureRandom,
   * PasskeyAssertionVerifier)} with the webauthn4j verifier ({@link
   * PasskeyAssertionVerifier#webauthn4j()}).
   */
  public MemberLogic(
      int memberIndex,
      byte[] hpkePublicKeyUncompressed,
      String fleetId,
      RegistrationPolicy policy,
      SecureRandom random) {
    this(
        memberIndex,
        hpkePublicKeyUncompressed,
        fleetId,
        policy,
        random,
        PasskeyAssertionVerifier.webauthn4j());
  }

  /**
   * The core of member {@code memberIndex} (1..n) of fleet {@code fleetId}, whose HPKE public key
   * (its HSM key) is {@code hpkePublicKeyUncompressed} (65 bytes), accepting registrations that
   * {@code policy} allows.
   */
  public MemberLogic(
      int memberIndex,
      byte[] hpkePublicKeyUncompressed,
      String fleetId,
      RegistrationPolicy policy,
      SecureRandom random,
      PasskeyAssertionVerifier passkeys) {
    this.passkeys = Objects.requireNonNull(passkeys, "passkeys");
    this.publicKey = MemberKey.of(memberIndex, hpkePublicKeyUncompressed).hpkePublicKey();
    this.memberIndex = memberIndex;
    this.fleetId = Objects.requireNonNull(fleetId, "fleetId");
    int idLen = fleetId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (idLen < 1 || idLen > WireLimits.MAX_FLEET_ID) {
      throw new IllegalArgumentException(
          "fleet id must be 1.." + WireLimits.MAX_FLEET_ID + " UTF-8 bytes");
    }
    this.policy = Objects.requireNonNull(policy, "policy");
    if (memberIndex > policy.members()) {
      throw new IllegalArgumentException(
          "member " + memberIndex + " is not in a fleet of " + policy.members());
    }
    this.random = Objects.requireNonNull(random, "random");
  }

  /** This member's index. */
  public int memberIndex() {
    return memberIndex;
  }

  /** This member's fleet id. */
  public String fleetId() {
    return fleetId;
  }

  /** The registration policy this member enforces. */
  public RegistrationPolicy policy() {
    return policy;
  }

  /**
   * Validates {@code request.request.enc} (65-byte uncompressed point on P-256, not the identity,
   * sealed to this member index) and returns it: the point the HSM's ECDH takes. Call it BEFORE the
   * HSM so that no invalid point reaches the device.
   *
   * @throws BadRequestException otherwise
   */
  public byte[] encForHsm(MemberRequest request) {
    checkRequest(request);
    byte[] enc = request.getRequest().getEnc().toByteArray();
    try {
      Hpke.parseEnc(enc);
    } catch (InvalidEncodingException e) {
      throw new BadRequestException(
          "envelope enc is not a valid P-256 point: " + e.getMessage(), e);
    }
    return enc;
  }

  private void checkRequest(MemberRequest request) {
    try {
      WireCodec.check(request);
    } catch (WireFormatException e) {
      throw new BadRequestException("malformed member request: " + e.getMessage(), e);
    }
    if (request.getRequest().getMember() != memberIndex) {
      throw new BadRequestException(
          "envelope is addressed to member "
              + request.getRequest().getMember()
              + ", this is member "
              + memberIndex);
    }
  }

  /**
   * Opens the envelope of {@code request} for {@code phase} and the caller's verified app {@code
   * appId}, given {@code dhResult} = the 32-byte x-coordinate of skR·enc that the HSM computed
   * ({@code HsmDriver.ecdh(hpkeKey, encForHsm(request))}).
   *
   * @throws BadRequestException if it does not open (another member, phase, fleet, app or user;
   *     tampered), its payload is malformed, or the app id is not a valid app id
   */
  public OpenedRequest open(Phase phase, MemberRequest request, String appId, byte[] dhResult) {
    Objects.requireNonNull(phase, "phase");
    try {
      LedgerKeys.requireAppId(appId);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage(), e);
    }
    Class<? extends Message> type = payloadType(phase);
    encForHsm(request);
    if (dhResult == null || dhResult.length != 32) {
      throw new IllegalArgumentException("dhResult must be the 32-byte ECDH x-coordinate");
    }
    byte[] userId = request.getUserId().toByteArray();
    Envelopes.Opened opened;
    try (SecretBytes dh = SecretBytes.copyOf(dhResult)) {
      opened = Envelopes.open(request.getRequest(), publicKey, dh, phase, fleetId, appId, userId);
    } catch (AEADBadTagException e) {
      throw new BadRequestException(
          "envelope does not open: not sealed to member "
              + memberIndex
              + " for "
              + phase
              + " and this fleet, app and user, or tampered");
    }
    try {
      Message payload = WireCodec.decode(type, opened.payload());
      return new OpenedRequest(
          phase, fleetId, appId, userId, memberIndex, payload, opened.answerKey());
    } catch (WireFormatException e) {
      opened.answerKey().wipe();
      throw new BadRequestException(
          "sealed " + type.getSimpleName() + " is malformed: " + e.getMessage(), e);
    } finally {
      Derive.wipe(opened.payload());
    }
  }

  private static Class<? extends Message> payloadType(Phase phase) {
    switch (phase) {
      case PHASE_REGISTER1:
        return Register1Payload.class;
      case PHASE_REGISTER2:
        return Register2Payload.class;
      case PHASE_RECOVER0:
        return Recover0Payload.class;
      case PHASE_RECOVER1:
        return Recover1Payload.class;
      case PHASE_RECOVER2:
        return Recover2Payload.class;
      case PHASE_DELETE:
        return DeletePayload.class;
      default:
        throw new IllegalArgumentException("not a request phase: " + phase);
    }
  }

  /** Register round 1: answers the member's current version (from {@code row}); commits nothing. */
  public MemberResponse register1(OpenedRequest request, LedgerRow row) {
    expect(request, Phase.PHASE_REGISTER1);
    return respond(
        request,
        Register1Reply.newBuilder()
            .setStatus(ReplyStatus.REPLY_STATUS_OK)
            .setCurrentVersion(row.version())
            .build());
  }

  /**
   * Register round 2: checks the payload against the {@link RegistrationPolicy} (members = n,
   * threshold = ⌊n/2⌋+1, guess limit 1..max, allowed PIN parameters), the commitments (valid points
   * on one polynomial of degree &lt; t; K_i = k_i·G, k_i non-zero) and {@code version <=
   * MAX_RECORD_VERSION}, and builds the record to store. A version not above {@code row.version()}
   * is refused as stale — except an exact retry (same version, record byte-identical to {@code
   * currentRecord}, the plaintext at {@code row.version()} or null), answered OK without a new
   * commit, so a retry can never reset a counter.
   *
   * @throws BadRequestException for a payload the policy or the checks refuse (nothing stored)
   */
  public Register2Step register2(OpenedRequest request, LedgerRow row, byte[] currentRecord) {
    return register2(request, row, currentRecord, Optional.empty());
  }

  /**
   * Register round 2 as {@link #register2(OpenedRequest, LedgerRow, byte[])}, for an app whose
   * WebAuthn relying party is {@code relyingParty} (from the node's app configuration; empty:
   * passkey registrations are refused). A passkey entry (PROTOCOL.md 21.1, 21.3) must use {@code
   * passkey-prf-v1} and carry a credential whose key the verifier accepts; the record then holds
   * the credential and this relying party.
   *
   * @throws BadRequestException for a payload the policy or the checks refuse (nothing stored)
   */
  public Register2Step register2(
      OpenedRequest request,
      LedgerRow row,
      byte[] currentRecord,
      Optional<RelyingParty> relyingParty) {
    expect(request, Phase.PHASE_REGISTER2);
    Register2Payload p = (Register2Payload) request.payload();
    if (p.getRecordVersion() < 1 || p.getRecordVersion() > WireLimits.MAX_RECORD_VERSION) {
      throw new BadRequestException(
          "register2: record version must be 1.." + WireLimits.MAX_RECORD_VERSION);
    }
    policy.check(p.getThreshold(), p.getMembers(), p.getGuessLimit(), p.getPinParams());
    PasskeyRecord passkey = passkeyRecord(request, p, relyingParty);
    try {
      List<GroupElement> commitments = new ArrayList<>();
      for (int j = 0; j < p.getCommitmentsCount(); j++) {
        commitments.add(GroupElement.decodeCompressed(p.getCommitments(j).toByteArray()));
      }
      if (commitments.size() != policy.members()
          || !new ThresholdOprfClient(p.getThreshold(), commitments).commitmentsConsistent()) {
        throw new BadRequestException(
            "register2: the commitments K_1..K_n do not lie on one polynomial of degree < t");
      }
      byte[] kBytes = p.getOprfKeyShare().toByteArray();
      try {
        Scalar k = Scalar.decodeNonZero(kBytes);
        if (!GroupElement.multiplyGenerator(k).equals(commitments.get(memberIndex - 1))) {
          throw new BadRequestException(
              "register2: OPRF key share does not match its commitment K_" + memberIndex);
        }
      } finally {
        Derive.wipe(kBytes);
      }
    } catch (InvalidEncodingException e) {
      throw new BadRequestException("register2: " + e.getMessage(), e);
    }
    MemberRecord record =
        MemberRecord.newBuilder()
            .setFormat(WireVersion.RECORD_FORMAT_1)
            .setSuite(WireVersion.SUITE_P256_SHA256)
            .setUserId(ByteString.copyFrom(request.userId()))
            .setMember(memberIndex)
            .setRecordVersion(p.getRecordVersion())
            .setThreshold(p.getThreshold())
            .setMembers(p.getMembers())
            .setGuessLimit(p.getGuessLimit())
            .setPinParams(p.getPinParams())
            .setRegistrationSalt(p.getRegistrationSalt())
            .setOprfKeyShare(p.getOprfKeyShare())
            .addAllCommitments(p.getCommitmentsList())
            .setMaskedDataShare(p.getMaskedDataShare())
            .setUnlockTag(p.getUnlockTag())
            .setSecretCiphertext(p.getSecretCiphertext())
            .build();
    if (passkey != null) {
      record = record.toBuilder().setPasskey(passkey).build();
    }
    byte[] bytes = WireCodec.encode(record);
    try {
      if (p.getRecordVersion() <= row.version()) {
        boolean retry =
            p.getRecordVersion() == row.version()
                && row.state() == LedgerRow.State.REGISTERED
                && currentRecord != null
                && MessageDigest.isEqual(currentRecord, bytes);
        return new Register2Step.Reply(
            retry
                ? register2Committed(request, row.version())
                : register2Stale(request, row.version()));
      }
      return new Register2Step.Store(
          record,
          bytes,
          MemberRecords.digest(bytes),
          p.getRecordVersion(),
          p.getGuessLimit(),
          request.ledgerKey(),
          request.recordAad(p.getRecordVersion()));
    } finally {
      Derive.wipe(bytes);
    }
  }

  /** The passkey part of a registration's record (PROTOCOL.md 21.3), or null for a PIN entry. */
  private PasskeyRecord passkeyRecord(
      OpenedRequest request, Register2Payload p, Optional<RelyingParty> rp) {
    boolean entry = PasskeyEntry.isEntry(request.userId());
    boolean params = PasskeyDerivations.isPasskeyParams(p.getPinParams());
    if (entry != params || params != p.hasPasskey()) {
      throw new BadRequestException(
          "register2: a passkey entry (user id ending in 0xFF \"passkey\") must use PIN"
              + " parameters "
              + PasskeyDerivations.PIN_PARAMS_ID
              + " with a passkey credential, and only it may");
    }
    if (!entry) {
      return null;
    }
    if (rp.isEmpty()) {
      throw new BadRequestException(
          "register2: this app has no passkey relying party configured"
              + " (apps[].passkey in the node configuration)");
    }
    byte[] cose;
    try {
      cose = passkeys.coseKey(p.getPasskey());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("register2: " + e.getMessage(), e);
    }
    return PasskeyRecord.newBuilder()
        .setCredentialId(p.getPasskey().getCredentialId())
        .setCosePublicKey(ByteString.copyFrom(cose))
        .setRpId(rp.get().rpId())
        .addAllAllowedOrigins(rp.get().origins())
        .setUserHandle(p.getPasskey().getUserHandle())
        .build();
  }

  /** Register round 2, after the ledger committed {@code register(user, version, ...)}. */
  public MemberResponse register2Committed(OpenedRequest request, long version) {
    expect(request, Phase.PHASE_REGISTER2);
    return respond(
        request,
        Register2Reply.newBuilder()
            .setStatus(ReplyStatus.REPLY_STATUS_OK)
            .setCurrentVersion(version)
            .build());
  }

  /** Register round 2, when the version is not above {@code currentVersion}. */
  public MemberResponse register2Stale(OpenedRequest request, long currentVersion) {
    expect(request, Phase.PHASE_REGISTER2);
    return respond(
        request,
        Register2Reply.newBuilder()
            .setStatus(ReplyStatus.REPLY_STATUS_STALE_VERSION)
            .setCurrentVersion(currentVersion)
            .build());
  }

  /**
   * Recover phase 0 (free): version, generation, salt, commitments, counters. {@code
   * recordPlaintext} is the unsealed record at {@code row.version()} (null if the row is not
   * REGISTERED); it must match the row's digest.
   */
  public MemberResponse recover0(OpenedRequest request, LedgerRow row, byte[] recordPlaintext) {
    return recover0(request, row, recordPlaintext, Optional.empty());
  }

  /**
   * The attempt id a phase-0 request asks about (PROTOCOL.md 9.1a), if any: the gateway then asks
   * its own replica whether that id is counted in the row's registration and current generation,
   * after the read through the log that gave {@code row}, and passes the answer to {@link
   * #recover0(OpenedRequest, LedgerRow, byte[], Optional)}.
   */
  public Optional<byte[]> recover0AttemptId(OpenedRequest request) {
    expect(request, Phase.PHASE_RECOVER0);
    Recover0Payload p = (Recover0Payload) request.payload();
    return p.getAttemptId().isEmpty()
        ? Optional.empty()
        : Optional.of(p.getAttemptId().toByteArray());
  }

  /**
   * Recover phase 0 as {@link #recover0(OpenedRequest, LedgerRow, byte[])}, answering the request's
   * attempt id with {@code attemptCounted} (this member's replica: counted in the current
   * generation or not). The answer carries {@code attempt_status} iff the request named an attempt
   * id and the row is REGISTERED or NO_GUESSES; {@code attemptCounted} must then be present.
   *
   * @throws IllegalArgumentException if the request names an attempt id and no answer was given
   */
  public MemberResponse recover0(
      OpenedRequest request,
      LedgerRow row,
      byte[] recordPlaintext,
      Optional<Boolean> attemptCounted) {
    expect(request, Phase.PHASE_RECOVER0);
    Objects.requireNonNull(attemptCounted, "attemptCounted");
    boolean asked = !((Recover0Payload) request.payload()).getAttemptId().isEmpty();
    ReplyStatus s = status(row);
    boolean answers =
        asked && (s == ReplyStatus.REPLY_STATUS_OK || s == ReplyStatus.REPLY_STATUS_NO_GUESSES);
    if (answers && attemptCounted.isEmpty()) {
      throw new IllegalArgumentException(
          "the request asks about an attempt id and no ledger answer was passed");
    }
    AttemptStatus attempt =
        !answers
            ? AttemptStatus.ATTEMPT_STATUS_UNSPECIFIED
            : attemptCounted.get()
                ? AttemptStatus.ATTEMPT_STATUS_COUNTED
                : AttemptStatus.ATTEMPT_STATUS_NOT_COUNTED;
    if (s != ReplyStatus.REPLY_STATUS_OK) {
      return respond(
          request, Recover0Reply.newBuilder().setStatus(s).setAttemptStatus(attempt).build());
    }
    MemberRecord record = recordAt(request, row, recordPlaintext);
    return respond(
        request,
        Recover0Reply.newBuilder()
            .setAttemptStatus(attempt)
            .setStatus(ReplyStatus.REPLY_STATUS_OK)
            .setRecordVersion(record.getRecordVersion())
            .setThreshold(record.getThreshold())
            .setMembers(record.getMembers())
            .setGuessLimit(record.getGuessLimit())
            .setGuessesRemaining(Math.min(row.guessesRemaining(), record.getGuessLimit()))
            .setPinParams(record.getPinParams())
            .setRegistrationSalt(record.getRegistrationSalt())
            .addAllCommitments(record.getCommitmentsList())
            .setGeneration(row.generation())
            .setPasskeyCredentialId(record.getPasskey().getCredentialId())
            .setPasskeyRpId(record.getPasskey().getRpId())
            .build());
  }

  /**
   * Recover phase 1, step 1: checks the request against the row (version and generation; a mismatch
   * is answered VERSION_MISMATCH, nothing committed: the client re-runs phase 0), validates the
   * blinded element and, for a passkey entry, the WebAuthn assertion (PROTOCOL.md 21.6: refused →
   * PASSKEY_REFUSED, nothing committed), and names the attempt the gateway must commit. {@code
   * recordPlaintext} is the unsealed record at {@code row.version()} (checked against the row's
   * digest here; null if the row is not REGISTERED): the gateway unseals it before it commits
   * anything.
   *
   * @throws BadRequestException if the blinded element is not a valid non-identity point, or a PIN
   *     entry's request carries a passkey assertion
   */
  public Recover1Step recover1(OpenedRequest request, LedgerRow row, byte[] recordPlaintext) {
    expect(request, Phase.PHASE_RECOVER1);
    Recover1Payload p = (Recover1Payload) request.payload();
    ReplyStatus s = status(row);
    if (s == ReplyStatus.REPLY_STATUS_OK
        && (p.getRecordVersion() != row.version() || p.getGeneration() != row.generation())) {
      s = ReplyStatus.REPLY_STATUS_VERSION_MISMATCH;
    }
    if (s != ReplyStatus.REPLY_STATUS_OK) {
      return new Recover1Step.Reply(
          respond(request, Recover1Reply.newBuilder().setStatus(s).build()));
    }
    blinded(p);
    MemberRecord record = recordAt(request, row, recordPlaintext);
    byte[] attemptId = attemptId(request, p);
    if (!record.hasPasskey()) {
      if (p.hasPasskeyAssertion()) {
        throw new BadRequestException(
            "recover1: a passkey assertion for a registration without a passkey");
      }
    } else {
      try {
        if (!p.hasPasskeyAssertion()) {
          throw new PasskeyRefusedException("no passkey assertion");
        }
        passkeys.verify(
            record.getPasskey(),
            p.getPasskeyAssertion(),
            PasskeyDerivations.challenge(request.userId(), p.getRecordVersion(), attemptId));
      } catch (PasskeyRefusedException e) {
        return new Recover1Step.Reply(
            respond(
                request,
                Recover1Reply.newBuilder()
                    .setStatus(ReplyStatus.REPLY_STATUS_PASSKEY_REFUSED)
                    .setGuessesRemaining(Math.min(row.guessesRemaining(), record.getGuessLimit()))
                    .build()),
            e.getMessage());
      }
    }
    return new Recover1Step.CommitAttempt(
        row.version(), row.recordDigest(), row.generation(), attemptId);
  }

  private static GroupElement blinded(Recover1Payload p) {
    try {
      return GroupElement.decodeCompressed(p.getBlindedElement().toByteArray());
    } catch (InvalidEncodingException e) {
      throw new BadRequestException("recover1: blinded element " + e.getMessage(), e);
    }
  }

  private byte[] attemptId(OpenedRequest request, Recover1Payload p) {
    return Derive.attemptId(
        fleetId,
        request.appId(),
        request.userId(),
        p.getRecordVersion(),
        p.getGeneration(),
        p.getBlindedElement().toByteArray(),
        p.getNonce().toByteArray());
  }

  /**
   * Recover phase 1, step 2: evaluates Z = k_i·B with a DLEQ proof against K_i — only with a
   * witness of kind ATTEMPT_GRANTED covering exactly this member, ledger key, the request's version
   * and generation, the digest of {@code recordPlaintext} and the attempt id computed from the
   * request. {@code recordPlaintext} is the unsealed record (the final copy the ledger handed over
   * when {@code witness.lastGuess()}).
   *
   * @throws IllegalArgumentException for any other witness or record; nothing is evaluated
   */
  public MemberResponse recover1Evaluate(
      OpenedRequest request, byte[] recordPlaintext, CommitWitness witness) {
    expect(request, Phase.PHASE_RECOVER1);
    Objects.requireNonNull(witness, "witness");
    Recover1Payload p = (Recover1Payload) request.payload();
    byte[] digest = digestOf(recordPlaintext);
    if (!witness.covers(
            CommitWitness.Kind.ATTEMPT_GRANTED,
            memberIndex,
            request.ledgerKey(),
            p.getRecordVersion(),
            digest,
            attemptId(request, p))
        || witness.generation() != p.getGeneration()) {
      throw new IllegalArgumentException(
          "the witness does not grant this attempt of this member on this record;"
              + " evaluating nothing");
    }
    MemberRecord record = decodeRecord(request, recordPlaintext, p.getRecordVersion());
    byte[] k = record.getOprfKeyShare().toByteArray();
    MemberEvaluation e;
    try {
      e =
          ThresholdOprfMember.evaluate(
              new MemberKeyShare(memberIndex, Scalar.decodeNonZero(k)), blinded(p), random);
    } finally {
      Derive.wipe(k);
    }
    return respond(
        request,
        Recover1Reply.newBuilder()
            .setStatus(ReplyStatus.REPLY_STATUS_OK)
            .setEvaluatedElement(ByteString.copyFrom(e.evaluated().encodeCompressed()))
            .setProof(ByteString.copyFrom(e.proof().encode()))
            .setGuessesRemaining(Math.min(witness.guessesRemaining(), WireLimits.MAX_GUESS_LIMIT))
            .build());
  }

  /** Recover phase 1, step 2 when the ledger refused the attempt because no guesses are left. */
  public MemberResponse recover1NoGuesses(OpenedRequest request) {
    expect(request, Phase.PHASE_RECOVER1);
    return respond(
        request, Recover1Reply.newBuilder().setStatus(ReplyStatus.REPLY_STATUS_NO_GUESSES).build());
  }

  /**
   * Recover phase 1, step 2 when the ledger rejected the attempt as VERSION_MISMATCH or
   * STALE_GENERATION (a registration or a success landed since the row was read): answered
   * VERSION_MISMATCH; nothing was counted; the client re-runs phase 0.
   */
  public MemberResponse recover1Stale(OpenedRequest request) {
    expect(request, Phase.PHASE_RECOVER1);
    return respond(
        request,
        Recover1Reply.newBuilder().setStatus(ReplyStatus.REPLY_STATUS_VERSION_MISMATCH).build());
  }

  /**
   * Recover phase 2, step 1: constant-time tag check against the record at the row's version. On a
   * match, the succeed the gateway must commit; otherwise the answer (WRONG_TAG with the guesses
   * left, or the row's status). No share leaves in this step.
   */
  public Recover2Step recover2(OpenedRequest request, LedgerRow row, byte[] recordPlaintext) {
    expect(request, Phase.PHASE_RECOVER2);
    Recover2Payload p = (Recover2Payload) request.payload();
    ReplyStatus s = status(row);
    if (s == ReplyStatus.REPLY_STATUS_OK && p.getRecordVersion() != row.version()) {
      s = ReplyStatus.REPLY_STATUS_VERSION_MISMATCH;
    }
    if (s != ReplyStatus.REPLY_STATUS_OK) {
      return new Recover2Step.Reply(
          respond(request, Recover2Reply.newBuilder().setStatus(s).build()));
    }
    MemberRecord record = recordAt(request, row, recordPlaintext);
    if (tagMatches(record, p)) {
      return new Recover2Step.CommitSuccess(
          row.version(), row.recordDigest(), row.generation(), p.getAttemptId().toByteArray());
    }
    return new Recover2Step.Reply(
        wrongTag(request, Math.min(row.guessesRemaining(), record.getGuessLimit())));
  }

  /**
   * Recover phase 2, step 2: the masked share and the ciphertext, if the tag matches and {@code
   * witness} is either
   *
   * <ul>
   *   <li>SUCCEEDED, covering this member, ledger key, the request's version and attempt id, and
   *       the digest of {@code recordPlaintext}; or
   *   <li>ATTEMPT_GRANTED with {@code lastGuess()}, covering the same: phase 2 of the attempt that
   *       used the last guess, whose record only the node's memory still holds.
   * </ul>
   *
   * A wrong tag is answered WRONG_TAG (with the witness's guesses left) and releases nothing.
   *
   * @throws IllegalArgumentException for any other witness; nothing is released
   */
  public MemberResponse recover2Release(
      OpenedRequest request, byte[] recordPlaintext, CommitWitness witness) {
    expect(request, Phase.PHASE_RECOVER2);
    Objects.requireNonNull(witness, "witness");
    Recover2Payload p = (Recover2Payload) request.payload();
    byte[] digest = digestOf(recordPlaintext);
    byte[] attemptId = p.getAttemptId().toByteArray();
    boolean succeeded =
        witness.covers(
            CommitWitness.Kind.SUCCEEDED,
            memberIndex,
            request.ledgerKey(),
            p.getRecordVersion(),
            digest,
            attemptId);
    boolean lastGuess =
        witness.lastGuess()
            && witness.covers(
                CommitWitness.Kind.ATTEMPT_GRANTED,
                memberIndex,
                request.ledgerKey(),
                p.getRecordVersion(),
                digest,
                attemptId);
    if (!succeeded && !lastGuess) {
      throw new IllegalArgumentException(
          "the witness is neither a success nor the last-guess grant of this attempt"
              + " of this member on this record; releasing nothing");
    }
    MemberRecord record = decodeRecord(request, recordPlaintext, p.getRecordVersion());
    int remaining = Math.min(witness.guessesRemaining(), record.getGuessLimit());
    if (!tagMatches(record, p)) {
      return wrongTag(request, remaining);
    }
    return respond(
        request,
        Recover2Reply.newBuilder()
            .setStatus(ReplyStatus.REPLY_STATUS_OK)
            .setMaskedDataShare(record.getMaskedDataShare())
            .setSecretCiphertext(record.getSecretCiphertext())
            .setGuessesRemaining(remaining)
            .build());
  }

  private static boolean tagMatches(MemberRecord record, Recover2Payload p) {
    byte[] stored = record.getUnlockTag().toByteArray();
    byte[] given = p.getUnlockTag().toByteArray();
    try {
      return MessageDigest.isEqual(stored, given);
    } finally {
      Derive.wipe(stored, given);
    }
  }

  private MemberResponse wrongTag(OpenedRequest request, int remaining) {
    return respond(
        request,
        Recover2Reply.newBuilder()
            .setStatus(ReplyStatus.REPLY_STATUS_WRONG_TAG)
            .setGuessesRemaining(remaining)
            .build());
  }

  /**
   * Delete, after the ledger committed this member's {@code delete(user)} (also if there was
   * nothing).
   */
  public MemberResponse deleted(OpenedRequest request) {
    expect(request, Phase.PHASE_DELETE);
    return respond(
        request, DeleteReply.newBuilder().setStatus(ReplyStatus.REPLY_STATUS_OK).build());
  }

  private static ReplyStatus status(LedgerRow row) {
    switch (row.state()) {
      case REGISTERED:
        return ReplyStatus.REPLY_STATUS_OK;
      case NO_GUESSES:
        return ReplyStatus.REPLY_STATUS_NO_GUESSES;
      default:
        return ReplyStatus.REPLY_STATUS_NOT_REGISTERED;
    }
  }

  private static byte[] digestOf(byte[] recordPlaintext) {
    if (recordPlaintext == null) {
      throw new IllegalArgumentException("no record plaintext was passed");
    }
    return MemberRecords.digest(recordPlaintext);
  }

  /**
   * The record at the row's version: must match the row's digest (the ledger's word on what is
   * stored).
   */
  private MemberRecord recordAt(OpenedRequest request, LedgerRow row, byte[] recordPlaintext) {
    if (recordPlaintext == null) {
      throw new IllegalStateException("the ledger row is REGISTERED but no record was passed");
    }
    if (!MessageDigest.isEqual(MemberRecords.digest(recordPlaintext), row.recordDigest())) {
      throw new IllegalStateException("the record passed does not match the ledger's digest");
    }
    try {
      return decodeRecord(request, recordPlaintext, row.version());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private MemberRecord decodeRecord(OpenedRequest request, byte[] recordPlaintext, long version) {
    MemberRecord record;
    try {
      record = MemberRecords.decode(recordPlaintext);
    } catch (WireFormatException e) {
      throw new IllegalArgumentException("the record passed is malformed: " + e.getMessage(), e);
    }
    if (record.getMember() != memberIndex
        || record.getRecordVersion() != version
        || !Arrays.equals(record.getUserId().toByteArray(), request.userId())) {
      throw new IllegalArgumentException(
          "the record passed is not this member's record of this user at version " + version);
    }
    return record;
  }

  private void expect(OpenedRequest request, Phase phase) {
    if (request.phase() != phase || request.member() != memberIndex) {
      throw new IllegalArgumentException(
          "request opened for "
              + request.phase()
              + " at member "
              + request.member()
              + " passed to the "
              + phase
              + " step of member "
              + memberIndex);
    }
  }

  private MemberResponse respond(OpenedRequest request, Message reply) {
    return MemberResponse.newBuilder()
        .setVersion(WireVersion.VERSION_1)
        .setSuite(WireVersion.SUITE_P256_SHA256)
        .setAnswer(
            Envelopes.answer(
                request.answerKey(),
                request.phase(),
                memberIndex,
                fleetId,
                request.appId(),
                request.userId(),
                reply,
                random))
        .build();
  }
}
