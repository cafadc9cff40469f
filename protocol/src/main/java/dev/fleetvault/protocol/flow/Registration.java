package dev.fleetvault.protocol.flow;

import com.google.protobuf.ByteString;
import dev.fleetvault.protocol.flow.parts.ClientRound;
import dev.fleetvault.protocol.flow.parts.RegistrationMath;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.passkey.PasskeyDerivations;
import dev.fleetvault.protocol.passkey.PasskeyEntry;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.PasskeyCredential;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.Register1Payload;
import dev.fleetvault.protocol.wire.Register1Reply;
import dev.fleetvault.protocol.wire.Register1Request;
import dev.fleetvault.protocol.wire.Register1Response;
import dev.fleetvault.protocol.wire.Register2Payload;
import dev.fleetvault.protocol.wire.Register2Reply;
import dev.fleetvault.protocol.wire.Register2Request;
import dev.fleetvault.protocol.wire.Register2Response;
import dev.fleetvault.protocol.wire.ReplyStatus;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireLimits;
import dev.fleetvault.protocol.wire.WireVersion;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Client side of registration (PROTOCOL.md "Registration"): a single-use state machine. {@link
 * #register1Request()} → edge → {@link #register2Request(Register1Response)} → edge → {@link
 * #finish(Register2Response)}.
 *
 * <h2>Guarantees</h2>
 *
 * No I/O and no clock: all randomness comes from the {@link SecureRandom} passed in. Every
 * per-member payload is HPKE-sealed to that member's key with the user, member, phase, version and
 * suite bound in; the edge sees none of it. Methods must be called in order, once each ({@link
 * IllegalStateException} otherwise). Secrets are wiped when {@link #finish} returns or throws.
 */
public final class Registration {
  private enum State {
    NEW,
    SENT1,
    SENT2,
    DONE
  }

  private final RealmConfig realm;
  private final String appId;
  private final byte[] userId;
  private final SecretBytes pin;
  private final SecretBytes secret;
  private final int guessLimit;
  private final SecureRandom random;
  private State state = State.NEW;
  private ClientRound round;
  private long version;

  /** The PIN parameter set: the realm's, or passkey-prf-v1 for a passkey entry. */
  private String pinParams;

  /** The passkey credential of a passkey entry, else null. */
  private PasskeyCredential passkey;

  private Registration(
      RealmConfig realm,
      String appId,
      byte[] userId,
      SecretBytes pin,
      SecretBytes secret,
      int guessLimit,
      SecureRandom random) {
    this.realm = realm;
    this.appId = appId;
    this.userId = userId;
    this.pin = pin;
    this.secret = secret;
    this.guessLimit = guessLimit;
    this.random = random;
    this.pinParams = realm.pinParams();
  }

  /**
   * Starts a registration of {@code secret} (1..128 bytes) behind {@code pin} (its UTF-8 bytes) for
   * user {@code userId} (1..128 bytes) of app {@code appId} (see {@link LedgerKeys}) with guess
   * limit {@code guessLimit} (1..100; members may allow less). Copies pin and secret; the caller
   * keeps ownership of its holders.
   */
  public static Registration begin(
      RealmConfig realm,
      String appId,
      byte[] userId,
      SecretBytes pin,
      SecretBytes secret,
      int guessLimit,
      SecureRandom random) {
    Objects.requireNonNull(realm, "realm");
    LedgerKeys.requireAppId(appId);
    Objects.requireNonNull(random, "random");
    checkUserId(userId);
    if (realm.threshold() != realm.size() / 2 + 1) {
      throw new IllegalArgumentException(
          "the realm's threshold is "
              + realm.threshold()
              + "; members accept only"
              + " t = floor(n/2) + 1 = "
              + (realm.size() / 2 + 1));
    }
    if (secret.length() < 1 || secret.length() > WireLimits.MAX_SECRET) {
      throw new IllegalArgumentException(
          "secret must be 1.." + WireLimits.MAX_SECRET + " bytes, got " + secret.length());
    }
    if (guessLimit < 1 || guessLimit > WireLimits.MAX_GUESS_LIMIT) {
      throw new IllegalArgumentException(
          "guess limit must be 1.." + WireLimits.MAX_GUESS_LIMIT + ", got " + guessLimit);
    }
    return new Registration(
        realm,
        appId,
        userId.clone(),
        SecretBytes.wrap(pin.copy()),
        SecretBytes.wrap(secret.copy()),
        guessLimit,
        random);
  }

  /**
   * Starts a registration of {@code secret} on the passkey entry of app user {@code appUserId}
   * (PROTOCOL.md 21.1, 21.3): the OPRF input is derived from {@code prfOutput} (the 32-byte
   * WebAuthn PRF output for {@link dev.fleetvault.protocol.passkey.PasskeyDerivations#prfSalt})
   * with {@code passkey-prf-v1}, and every member stores {@code credential}. Copies the PRF output
   * and the secret.
   *
   * @throws IllegalArgumentException for a PRF output that is not 32 bytes, an app user id longer
   *     than {@link PasskeyEntry#MAX_BASE_USER_ID}, or the arguments {@link #begin} refuses
   */
  public static Registration beginPasskey(
      RealmConfig realm,
      String appId,
      byte[] appUserId,
      SecretBytes prfOutput,
      PasskeyCredential credential,
      SecretBytes secret,
      int guessLimit,
      SecureRandom random) {
    Objects.requireNonNull(credential, "credential");
    if (prfOutput.length() != PasskeyDerivations.LENGTH) {
      throw new IllegalArgumentException(
          "a passkey PRF output must be " + PasskeyDerivations.LENGTH + " bytes");
    }
    Registration r =
        begin(realm, appId, PasskeyEntry.of(appUserId), prfOutput, secret, guessLimit, random);
    r.pinParams = PasskeyDerivations.PIN_PARAMS_ID;
    r.passkey = credential;
    return r;
  }

  static void checkUserId(byte[] userId) {
    Objects.requireNonNull(userId, "userId");
    if (userId.length < 1 || userId.length > WireLimits.MAX_USER_ID) {
      throw new IllegalArgumentException(
          "user id must be 1.." + WireLimits.MAX_USER_ID + " bytes, got " + userId.length);
    }
  }

  /** Round 1: ask every member for its current record version. */
  public Register1Request register1Request() {
    expect(State.NEW);
    Map<Integer, Register1Payload> payloads = new HashMap<>();
    for (int i = 1; i <= realm.size(); i++) {
      payloads.put(i, Register1Payload.getDefaultInstance());
    }
    round = ClientRound.seal(realm, Phase.PHASE_REGISTER1, appId, userId, payloads, random);
    state = State.SENT1;
    return Register1Request.newBuilder()
        .setVersion(WireVersion.VERSION_1)
        .setSuite(WireVersion.SUITE_P256_SHA256)
        .setUserId(ByteString.copyFrom(userId))
        .addAllRequests(round.requests())
        .build();
  }

  /**
   * Round 2: picks version = 1 + the highest current version reported (needs at least t
   * authenticated answers, else {@link InsufficientAnswersException}; a member reporting a version
   * above {@link WireLimits#MAX_RECORD_VERSION} is ignored and flagged), runs Argon2id and the
   * OPRF, and seals each member's share record.
   *
   * @throws FlowException if the next version would exceed {@link WireLimits#MAX_RECORD_VERSION}
   */
  public Register2Request register2Request(Register1Response response) {
    expect(State.SENT1);
    state = State.DONE;
    boolean ok = false;
    try {
      WireCodec.check(response);
      Set<Integer> flagged = new TreeSet<>();
      Map<Integer, Register1Reply> replies =
          round.open(response.getResultsList(), Register1Reply.class, flagged);
      round.close();
      long highest = 0;
      int usable = 0;
      for (Map.Entry<Integer, Register1Reply> e : replies.entrySet()) {
        if (e.getValue().getStatus() == ReplyStatus.REPLY_STATUS_OK) {
          usable++;
          highest = Math.max(highest, e.getValue().getCurrentVersion());
        } else {
          flagged.add(e.getKey());
        }
      }
      if (usable < realm.threshold()) {
        throw new InsufficientAnswersException("register1", usable, realm.threshold(), flagged);
      }
      if (highest >= WireLimits.MAX_RECORD_VERSION) {
        throw new FlowException(
            "register1: the next record version would exceed MAX_RECORD_VERSION = 2^53 - 1;"
                + " this user cannot be registered again");
      }
      version = highest + 1;
      int n = realm.size();
      int t = realm.threshold();
      byte[] regSalt = new byte[32];
      random.nextBytes(regSalt);
      byte[] nonce = new byte[12];
      random.nextBytes(nonce);
      RegistrationMath.Inputs in =
          new RegistrationMath.Inputs(
              userId,
              realm.fleetId(),
              pinParams,
              version,
              guessLimit,
              n,
              t,
              regSalt,
              randomPolynomial(t),
              randomPolynomial(t),
              nonce);
      Map<Integer, Register2Payload> payloads = RegistrationMath.payloads(pin, secret, in);
      if (passkey != null) {
        payloads.replaceAll((i, pl) -> pl.toBuilder().setPasskey(passkey).build());
      }
      round = ClientRound.seal(realm, Phase.PHASE_REGISTER2, appId, userId, payloads, random);
      Register2Request req =
          Register2Request.newBuilder()
              .setVersion(WireVersion.VERSION_1)
              .setSuite(WireVersion.SUITE_P256_SHA256)
              .setUserId(ByteString.copyFrom(userId))
              .addAllRequests(round.requests())
              .build();
      state = State.SENT2;
      ok = true;
      return req;
    } finally {
      pin.wipe();
      secret.wipe();
      if (!ok && round != null) {
        round.close();
      }
    }
  }

  private List<Scalar> randomPolynomial(int t) {
    List<Scalar> c = new ArrayList<>();
    for (int j = 0; j < t; j++) {
      c.add(Scalar.random(random));
    }
    return c;
  }

  /**
   * Registered at the version if at least t members confirmed; otherwise a conflict or an
   * exception.
   */
  public RegisterResult finish(Register2Response response) {
    expect(State.SENT2);
    state = State.DONE;
    try {
      WireCodec.check(response);
      Set<Integer> flagged = new TreeSet<>();
      Map<Integer, Register2Reply> replies =
          round.open(response.getResultsList(), Register2Reply.class, flagged);
      Set<Integer> stored = new TreeSet<>();
      long highest = 0;
      boolean stale = false;
      for (Map.Entry<Integer, Register2Reply> e : replies.entrySet()) {
        Register2Reply r = e.getValue();
        if (r.getStatus() == ReplyStatus.REPLY_STATUS_OK && r.getCurrentVersion() == version) {
          stored.add(e.getKey());
        } else if (r.getStatus() == ReplyStatus.REPLY_STATUS_STALE_VERSION) {
          stale = true;
          highest = Math.max(highest, r.getCurrentVersion());
        } else {
          flagged.add(e.getKey());
        }
      }
      if (stored.size() >= realm.threshold()) {
        return new RegisterResult.Registered(version, stored);
      }
      if (stale) {
        return new RegisterResult.VersionConflict(highest);
      }
      throw new InsufficientAnswersException(
          "register2", stored.size(), realm.threshold(), flagged);
    } finally {
      round.close();
    }
  }

  private void expect(State s) {
    if (state != s) {
      throw new IllegalStateException(
          "Registration: called out of order (state " + state + ", expected " + s + ")");
    }
  }
}
