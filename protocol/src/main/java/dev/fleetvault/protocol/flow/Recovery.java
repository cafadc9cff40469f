package dev.fleetvault.protocol.flow;

import com.google.protobuf.ByteString;
import dev.fleetvault.protocol.flow.impl.Unlock;
import dev.fleetvault.protocol.flow.parts.ClientRound;
import dev.fleetvault.protocol.flow.parts.Derive;
import dev.fleetvault.protocol.flow.parts.RegistrationMath;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.InvalidEncodingException;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.oprf.BlindedInput;
import dev.fleetvault.protocol.passkey.PasskeyDerivations;
import dev.fleetvault.protocol.passkey.PasskeyEntry;
import dev.fleetvault.protocol.pin.Argon2idParameters;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.threshold.CombineResult;
import dev.fleetvault.protocol.threshold.MemberEvaluation;
import dev.fleetvault.protocol.threshold.ThresholdOprfClient;
import dev.fleetvault.protocol.wire.PasskeyAssertion;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.Recover0Payload;
import dev.fleetvault.protocol.wire.Recover0Reply;
import dev.fleetvault.protocol.wire.Recover0Request;
import dev.fleetvault.protocol.wire.Recover0Response;
import dev.fleetvault.protocol.wire.Recover1Payload;
import dev.fleetvault.protocol.wire.Recover1Reply;
import dev.fleetvault.protocol.wire.Recover1Request;
import dev.fleetvault.protocol.wire.Recover1Response;
import dev.fleetvault.protocol.wire.Recover2Payload;
import dev.fleetvault.protocol.wire.Recover2Reply;
import dev.fleetvault.protocol.wire.Recover2Request;
import dev.fleetvault.protocol.wire.Recover2Response;
import dev.fleetvault.protocol.wire.ReplyStatus;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireVersion;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Client side of recovery (PROTOCOL.md "Recovery"): a single-use state machine over three round
 * trips.
 *
 * <ol>
 *   <li>{@link #recover0Request()}; {@link #afterRecover0(Recover0Response)}: majority agreement on
 *       version, salt, commitments (free, no guess spent), the generation most of the agreeing
 *       members report; Argon2id; blinding; one nonce and one attempt id for all members.
 *   <li>{@link #afterRecover1(Recover1Response)}: verifies each DLEQ proof against that member's
 *       commitment, combines t valid evaluations, unblinds, derives the unlock and mask keys. If
 *       too few evaluations came back and members said VERSION_MISMATCH (the registration or its
 *       generation moved on), {@link RecoveryStep.Restart}: phase 0 again, at most {@link
 *       #MAX_RESTARTS} times.
 *   <li>{@link #afterRecover2(Recover2Response)}: unmasks t shares, rebuilds D, decrypts s.
 * </ol>
 *
 * <h2>Guarantees</h2>
 *
 * No I/O, no clock; randomness only from the {@link SecureRandom} passed in. A member whose answer
 * does not open, disagrees with the majority, or carries a bad proof is excluded and listed in
 * {@link #flaggedMembers()}, never trusted, and costs no extra guess. Fewer than t usable answers
 * in a phase throws {@link InsufficientAnswersException}. Every request goes to every agreeing
 * member, so honest members count guesses in lockstep. Secrets are wiped when a {@link
 * RecoveryStep.Done} is returned or an exception is thrown.
 */
public final class Recovery {
  /** How many times phase 0 is re-run after a VERSION_MISMATCH in phase 1 before giving up. */
  public static final int MAX_RESTARTS = 3;

  private enum State {
    NEW,
    SENT0,
    SENT1,
    SENT2,
    DONE
  }

  private final RealmConfig realm;
  private final String appId;
  private final byte[] userId;
  private final SecretBytes pin;
  private final SecureRandom random;
  private final Set<Integer> flagged = new TreeSet<>();
  private State state = State.NEW;
  private ClientRound round;

  private Recover0Reply agreed;
  private Set<Integer> group;
  private ThresholdOprfClient oprf;
  private BlindedInput blinded;
  private long generation;
  private byte[] attemptId;

  /** After a Restart: the guess that was not evaluated by t members, and the config it was for. */
  private Recover1Payload pendingGuess;

  private ByteString pendingConfig;
  private Recover1Payload currentGuess;
  private ByteString currentConfig;
  private int restarts;
  private int minRemaining = Integer.MAX_VALUE;

  /** Passkey recoveries: where the assertion for each attempt comes from; null for a PIN. */
  private PasskeyAssertionSource passkeySource;

  private Recovery(
      RealmConfig realm, String appId, byte[] userId, SecretBytes pin, SecureRandom random) {
    this.realm = realm;
    this.appId = appId;
    this.userId = userId;
    this.pin = pin;
    this.random = random;
  }

  /**
   * Starts a recovery for user {@code userId} of app {@code appId} with {@code pin} (its UTF-8
   * bytes; copied).
   */
  public static Recovery begin(
      RealmConfig realm, String appId, byte[] userId, SecretBytes pin, SecureRandom random) {
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(random, "random");
    LedgerKeys.requireAppId(appId);
    Registration.checkUserId(userId);
    return new Recovery(realm, appId, userId.clone(), SecretBytes.wrap(pin.copy()), random);
  }

  /**
   * Starts a recovery of the passkey entry of app user {@code appUserId} (PROTOCOL.md 21): the OPRF
   * input comes from {@code prfOutput} (32 bytes, copied), and the assertion for the attempt from
   * {@code assertions}, called once per new attempt with the challenge that binds it (21.5).
   */
  public static Recovery beginPasskey(
      RealmConfig realm,
      String appId,
      byte[] appUserId,
      SecretBytes prfOutput,
      PasskeyAssertionSource assertions,
      SecureRandom random) {
    Objects.requireNonNull(assertions, "assertions");
    if (prfOutput.length() != PasskeyDerivations.LENGTH) {
      throw new IllegalArgumentException(
          "a passkey PRF output must be " + PasskeyDerivations.LENGTH + " bytes");
    }
    Recovery r = begin(realm, appId, PasskeyEntry.of(appUserId), prfOutput, random);
    r.passkeySource = assertions;
    return r;
  }

  /**
   * Phase 0 request: sealed to every member of the realm (again after a {@link
   * RecoveryStep.Restart}).
   */
  public Recover0Request recover0Request() {
    expect(State.NEW);
    Map<Integer, Recover0Payload> payloads = new HashMap<>();
    for (int i = 1; i <= realm.size(); i++) {
      payloads.put(i, Recover0Payload.getDefaultInstance());
    }
    round = ClientRound.seal(realm, Phase.PHASE_RECOVER0, appId, userId, payloads, random);
    state = State.SENT0;
    return Recover0Request.newBuilder()
        .setVersion(WireVersion.VERSION_1)
        .setSuite(WireVersion.SUITE_P256_SHA256)
        .setUserId(ByteString.copyFrom(userId))
        .addAllRequests(round.requests())
        .build();
  }

  /** Phase 0 answers in; phase 1 request out, or Done(NotRegistered | NoGuesses). */
  public RecoveryStep<Recover1Request> afterRecover0(Recover0Response response) {
    expect(State.SENT0);
    state = State.DONE;
    boolean proceed = false;
    try {
      WireCodec.check(response);
      Map<Integer, Recover0Reply> replies =
          round.open(response.getResultsList(), Recover0Reply.class, flagged);
      round.close();
      // Group the OK answers by everything but the counters and the generation; take the largest
      // group (ties: higher version). The generation is the one most of that group reports (ties:
      // higher).
      Map<ByteString, List<Integer>> groups = new LinkedHashMap<>();
      Map<ByteString, Recover0Reply> configs = new HashMap<>();
      int noGuesses = 0;
      int notRegistered = 0;
      for (Map.Entry<Integer, Recover0Reply> e : replies.entrySet()) {
        Recover0Reply r = e.getValue();
        if (r.getStatus() == ReplyStatus.REPLY_STATUS_OK) {
          ByteString key =
              r.toBuilder()
                  .clearStatus()
                  .clearGuessesRemaining()
                  .clearGeneration()
                  .build()
                  .toByteString();
          groups.computeIfAbsent(key, k -> new ArrayList<>()).add(e.getKey());
          configs.put(key, r);
        } else if (r.getStatus() == ReplyStatus.REPLY_STATUS_NO_GUESSES) {
          noGuesses++;
        } else if (r.getStatus() == ReplyStatus.REPLY_STATUS_NOT_REGISTERED) {
          notRegistered++;
        }
      }
      Optional<ByteString> best =
          groups.keySet().stream()
              .max(
                  Comparator.<ByteString>comparingInt(k -> groups.get(k).size())
                      .thenComparingLong(k -> configs.get(k).getRecordVersion()));
      int t = realm.threshold();
      if (best.isEmpty() || groups.get(best.get()).size() < t || !usable(configs.get(best.get()))) {
        if (noGuesses > 0) {
          return new RecoveryStep.Done<>(new RecoverResult.NoGuesses());
        }
        if (notRegistered >= t) {
          return new RecoveryStep.Done<>(new RecoverResult.NotRegistered());
        }
        // no majority either way (members down, or split between versions): cannot decide
        throw new InsufficientAnswersException(
            "recover0", best.isEmpty() ? 0 : groups.get(best.get()).size(), t, flagged);
      }
      agreed = configs.get(best.get());
      ByteString agreedConfig = best.get();
      group = new TreeSet<>(groups.get(best.get()));
      generation = majorityGeneration(group, replies);
      for (int i : replies.keySet()) {
        if (!group.contains(i)) {
          flagged.add(i); // disagrees with the majority
        }
      }
      List<GroupElement> commitments = new ArrayList<>();
      for (ByteString c : agreed.getCommitmentsList()) {
        commitments.add(GroupElement.decodeCompressed(c.toByteArray()));
      }
      oprf = new ThresholdOprfClient(agreed.getThreshold(), commitments);
      Recover1Payload payload;
      if (pendingGuess != null
          && pendingConfig.equals(agreedConfig)
          && pendingGuess.getGeneration() == generation) {
        // Phase 0 again found the registration where the unfinished guess left it: send the very
        // same guess (same B, nonce, id), so members that already counted it do not count it again.
        payload = pendingGuess;
      } else {
        if (blinded != null) {
          blinded.close();
        }
        boolean passkeyEntry = PasskeyDerivations.isPasskeyParams(agreed.getPinParams());
        if (passkeyEntry != (passkeySource != null)) {
          throw new FlowException(
              passkeyEntry
                  ? "recover0: this entry is protected by a passkey; recover it with a passkey"
                  : "recover0: this entry is protected by a PIN, not a passkey");
        }
        try (SecretBytes stretched =
            RegistrationMath.stretch(
                pin,
                userId,
                realm.fleetId(),
                agreed.getPinParams(),
                agreed.getRegistrationSalt().toByteArray())) {
          byte[] p = stretched.copy();
          try {
            blinded = oprf.blind(p, random);
          } finally {
            Derive.wipe(p);
          }
        }
        // One nonce and one B per guess, the same payload for every member: one attempt id.
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        payload =
            Recover1Payload.newBuilder()
                .setRecordVersion(agreed.getRecordVersion())
                .setGeneration(generation)
                .setBlindedElement(ByteString.copyFrom(blinded.blindedElement().encodeCompressed()))
                .setNonce(ByteString.copyFrom(nonce))
                .build();
        if (passkeySource != null) {
          byte[] id =
              Derive.attemptId(
                  realm.fleetId(),
                  appId,
                  userId,
                  payload.getRecordVersion(),
                  payload.getGeneration(),
                  payload.getBlindedElement().toByteArray(),
                  payload.getNonce().toByteArray());
          PasskeyAssertion assertion =
              passkeySource.assertionFor(
                  new PasskeyChallenge(
                      PasskeyDerivations.challenge(userId, payload.getRecordVersion(), id),
                      agreed.getPasskeyCredentialId().toByteArray(),
                      agreed.getPasskeyRpId()));
          payload =
              payload.toBuilder()
                  .setPasskeyAssertion(Objects.requireNonNull(assertion, "assertion"))
                  .build();
        }
      }
      pendingGuess = null;
      pendingConfig = null;
      attemptId =
          Derive.attemptId(
              realm.fleetId(),
              appId,
              userId,
              payload.getRecordVersion(),
              payload.getGeneration(),
              payload.getBlindedElement().toByteArray(),
              payload.getNonce().toByteArray());
      currentGuess = payload;
      currentConfig = agreedConfig;
      Map<Integer, Recover1Payload> payloads = new TreeMap<>();
      for (int i : group) {
        payloads.put(i, payload);
      }
      round = ClientRound.seal(realm, Phase.PHASE_RECOVER1, appId, userId, payloads, random);
      state = State.SENT1;
      proceed = true;
      return new RecoveryStep.Send<>(
          Recover1Request.newBuilder()
              .setVersion(WireVersion.VERSION_1)
              .setSuite(WireVersion.SUITE_P256_SHA256)
              .setUserId(ByteString.copyFrom(userId))
              .addAllRequests(round.requests())
              .build());
    } finally {
      if (!proceed) {
        cleanup();
      }
    }
  }

  /** The generation most members of {@code group} report; ties go to the higher generation. */
  static long majorityGeneration(Set<Integer> group, Map<Integer, Recover0Reply> replies) {
    Map<Long, Integer> votes = new TreeMap<>();
    for (int i : group) {
      votes.merge(replies.get(i).getGeneration(), 1, Integer::sum);
    }
    long best = 0;
    int bestVotes = 0;
    for (Map.Entry<Long, Integer> e :
        votes.entrySet()) { // ascending: a tie keeps the later, higher one
      if (e.getValue() >= bestVotes) {
        best = e.getKey();
        bestVotes = e.getValue();
      }
    }
    return best;
  }

  /**
   * A majority config this client can use: the realm's shape, every commitment a valid point, all
   * of them on one polynomial of degree &lt; t.
   */
  private boolean usable(Recover0Reply r) {
    if (r.getMembers() != realm.size() || r.getThreshold() != realm.threshold()) {
      return false;
    }
    try {
      List<GroupElement> ks = new ArrayList<>();
      for (ByteString c : r.getCommitmentsList()) {
        ks.add(GroupElement.decodeCompressed(c.toByteArray()));
      }
      if (PasskeyDerivations.isPasskeyParams(r.getPinParams())) {
        if (r.getPasskeyCredentialId().isEmpty()) {
          return false;
        }
      } else {
        Argon2idParameters.forId(r.getPinParams());
      }
      return new ThresholdOprfClient(r.getThreshold(), ks).commitmentsConsistent();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Phase 1 answers in; phase 2 request out, or Done(NoGuesses | NotRegistered). */
  public RecoveryStep<Recover2Request> afterRecover1(Recover1Response response) {
    expect(State.SENT1);
    state = State.DONE;
    boolean proceed = false;
    try {
      WireCodec.check(response);
      Map<Integer, Recover1Reply> replies =
          round.open(response.getResultsList(), Recover1Reply.class, flagged);
      round.close();
      List<MemberEvaluation> evaluations = new ArrayList<>();
      Map<Integer, Integer> remaining = new HashMap<>();
      int noGuesses = 0;
      int notRegistered = 0;
      int stale = 0;
      int passkeyRefused = 0;
      int refusedRemaining = Integer.MAX_VALUE;
      for (Map.Entry<Integer, Recover1Reply> e : replies.entrySet()) {
        Recover1Reply r = e.getValue();
        switch (r.getStatus()) {
          case REPLY_STATUS_VERSION_MISMATCH:
            stale++;
            break;
          case REPLY_STATUS_OK:
            try {
              evaluations.add(
                  MemberEvaluation.decode(
                      e.getKey(),
                      r.getEvaluatedElement().toByteArray(),
                      r.getProof().toByteArray()));
              remaining.put(e.getKey(), r.getGuessesRemaining());
            } catch (InvalidEncodingException ex) {
              flagged.add(e.getKey());
            }
            break;
          case REPLY_STATUS_NO_GUESSES:
            noGuesses++;
            break;
          case REPLY_STATUS_NOT_REGISTERED:
            notRegistered++;
            break;
          case REPLY_STATUS_PASSKEY_REFUSED:
            passkeyRefused++;
            refusedRemaining = Math.min(refusedRemaining, r.getGuessesRemaining());
            break;
          default:
            flagged.add(e.getKey());
        }
      }
      CombineResult combined = oprf.combine(blinded.blindedElement(), evaluations);
      flagged.addAll(combined.rejected());
      if (!(combined instanceof CombineResult.Combined)) {
        if (stale > 0 && noGuesses == 0 && restarts < MAX_RESTARTS) {
          restarts++;
          round = null;
          pendingGuess = currentGuess; // the blinding is kept for it
          pendingConfig = currentConfig;
          state = State.NEW;
          proceed = true;
          return new RecoveryStep.Restart<>();
        }
        if (noGuesses > 0) {
          return new RecoveryStep.Done<>(new RecoverResult.NoGuesses());
        }
        if (notRegistered >= realm.threshold()) {
          return new RecoveryStep.Done<>(new RecoverResult.NotRegistered());
        }
        if (passkeyRefused > 0) {
          return new RecoveryStep.Done<>(new RecoverResult.PasskeyRefused(refusedRemaining));
        }
        throw new InsufficientAnswersException(
            "recover1",
            ((CombineResult.Insufficient) combined).verified().size(),
            realm.threshold(),
            flagged);
      }
      CombineResult.Combined c = (CombineResult.Combined) combined;
      for (int i : c.verified()) {
        minRemaining = Math.min(minRemaining, remaining.get(i));
      }
      Map<Integer, Recover2Payload> payloads = new TreeMap<>();
      try (SecretBytes y = oprf.finalize(blinded, c.evaluation());
          SecretBytes unlockKey = Derive.unlockKey(y)) {
        this.maskKey = Derive.maskKey(y);
        for (int i : group) {
          payloads.put(
              i,
              Recover2Payload.newBuilder()
                  .setRecordVersion(agreed.getRecordVersion())
                  .setAttemptId(ByteString.copyFrom(attemptId))
                  .setUnlockTag(ByteString.copyFrom(Derive.unlockTag(unlockKey, i)))
                  .build());
        }
      }
      round = ClientRound.seal(realm, Phase.PHASE_RECOVER2, appId, userId, payloads, random);
      state = State.SENT2;
      proceed = true;
      return new RecoveryStep.Send<>(
          Recover2Request.newBuilder()
              .setVersion(WireVersion.VERSION_1)
              .setSuite(WireVersion.SUITE_P256_SHA256)
              .setUserId(ByteString.copyFrom(userId))
              .addAllRequests(round.requests())
              .build());
    } finally {
      if (blinded != null && state != State.NEW) {
        blinded.close();
      }
      if (!proceed) {
        cleanup();
      } else if (state == State.SENT2) {
        pin.wipe();
      }
    }
  }

  private SecretBytes maskKey;

  /** Phase 2 answers in; the result. */
  public RecoverResult afterRecover2(Recover2Response response) {
    expect(State.SENT2);
    state = State.DONE;
    try {
      WireCodec.check(response);
      Map<Integer, Recover2Reply> replies =
          round.open(response.getResultsList(), Recover2Reply.class, flagged);
      Map<Integer, Scalar> shares = new TreeMap<>();
      Map<ByteString, Integer> ciphertexts = new LinkedHashMap<>();
      int wrongTag = 0;
      int noGuesses = 0;
      int notRegistered = 0;
      for (Map.Entry<Integer, Recover2Reply> e : replies.entrySet()) {
        int i = e.getKey();
        Recover2Reply r = e.getValue();
        switch (r.getStatus()) {
          case REPLY_STATUS_OK:
            try (SecretBytes mask = Derive.shareMask(maskKey, i)) {
              byte[] m = mask.copy();
              byte[] d = Derive.xor(r.getMaskedDataShare().toByteArray(), m);
              try {
                shares.put(i, Scalar.decode(d));
                ciphertexts.merge(r.getSecretCiphertext(), 1, Integer::sum);
              } catch (InvalidEncodingException ex) {
                flagged.add(i);
              } finally {
                Derive.wipe(m, d);
              }
            }
            break;
          case REPLY_STATUS_WRONG_TAG:
            wrongTag++;
            minRemaining = Math.min(minRemaining, r.getGuessesRemaining());
            break;
          case REPLY_STATUS_NO_GUESSES:
            noGuesses++;
            break;
          case REPLY_STATUS_NOT_REGISTERED:
            notRegistered++;
            break;
          default:
            flagged.add(i);
        }
      }
      int t = agreed.getThreshold();
      if (shares.size() >= t) {
        List<byte[]> cts = new ArrayList<>();
        ciphertexts.entrySet().stream()
            .sorted(Map.Entry.<ByteString, Integer>comparingByValue().reversed())
            .forEach(e -> cts.add(e.getKey().toByteArray()));
        Optional<SecretBytes> s = Unlock.open(shares, t, cts, userId, agreed.getRecordVersion());
        if (s.isPresent()) {
          return new RecoverResult.Recovered(s.get());
        }
        flagged.addAll(shares.keySet());
      }
      if (wrongTag > 0) {
        return new RecoverResult.WrongPin(minRemaining == Integer.MAX_VALUE ? 0 : minRemaining);
      }
      if (noGuesses > 0) {
        return new RecoverResult.NoGuesses();
      }
      if (notRegistered >= realm.threshold()) {
        return new RecoverResult.NotRegistered();
      }
      throw new InsufficientAnswersException("recover2", shares.size(), t, flagged);
    } finally {
      cleanup();
    }
  }

  /**
   * The attempt id of the guess whose phase-1 request was built and not yet answered (state after
   * {@link #afterRecover0} returned a Send, before {@link #afterRecover1}): what an {@link
   * AttemptCheck} asks about when the phase-1 answer was lost. Empty otherwise.
   */
  public Optional<byte[]> attemptInFlight() {
    return state == State.SENT1 && attemptId != null
        ? Optional.of(attemptId.clone())
        : Optional.empty();
  }

  /**
   * A check of the current guess's attempt (PROTOCOL.md 9.1a): whether the members counted it, for
   * when its phase-1 answer was lost. Empty before a phase-1 request was built. Each call returns a
   * new single-use check; it does not change this recovery.
   */
  public Optional<AttemptCheck> attemptCheck() {
    return attemptId == null
        ? Optional.empty()
        : Optional.of(AttemptCheck.of(realm, appId, userId, attemptId, random));
  }

  /** The attempt id of the current guess (after phase 0), for tests; null before. */
  byte[] attemptId() {
    return attemptId == null ? null : attemptId.clone();
  }

  /** Members excluded so far (disagreement, unopenable answers, bad proofs, bad shares). */
  public Set<Integer> flaggedMembers() {
    return Set.copyOf(flagged);
  }

  private void cleanup() {
    pin.wipe();
    if (round != null) {
      round.close();
    }
    if (blinded != null) {
      blinded.close();
    }
    if (maskKey != null) {
      maskKey.wipe();
    }
  }

  private void expect(State s) {
    if (state != s) {
      throw new IllegalStateException(
          "Recovery: called out of order (state " + state + ", expected " + s + ")");
    }
  }
}
