package dev.fleetvault.gateway.support;

import com.google.protobuf.Message;
import dev.fleetvault.protocol.flow.RealmConfig;
import dev.fleetvault.protocol.flow.RecoverResult;
import dev.fleetvault.protocol.flow.Recovery;
import dev.fleetvault.protocol.flow.RecoveryStep;
import dev.fleetvault.protocol.flow.RegisterResult;
import dev.fleetvault.protocol.flow.Registration;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.Recover0Response;
import dev.fleetvault.protocol.wire.Recover1Request;
import dev.fleetvault.protocol.wire.Recover1Response;
import dev.fleetvault.protocol.wire.Recover2Request;
import dev.fleetvault.protocol.wire.Recover2Response;
import dev.fleetvault.protocol.wire.Register1Response;
import dev.fleetvault.protocol.wire.Register2Response;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.Function;

/**
 * Drives the protocol's client state machines (protocol.flow, not the SDK) over one test transport:
 * register and recover exactly as an app would, phase by phase.
 */
public final class TestClient {
  /** The app id of test tokens ({@code iss}). */
  public static final String APP = "dev-app";

  private static final SecureRandom RANDOM = new SecureRandom();
  private final VaultTransport transport;
  private final RealmConfig realm;
  private final Function<String, String> tokens;

  /**
   * @param transport the edge; @param realm fleet keys; @param tokens user -> app token
   */
  public TestClient(VaultTransport transport, RealmConfig realm, Function<String, String> tokens) {
    this.transport = transport;
    this.realm = realm;
    this.tokens = tokens;
  }

  /** Registers {@code secret} behind {@code pin}. */
  public RegisterResult register(String user, String pin, byte[] secret, int guesses)
      throws Exception {
    Registration reg =
        Registration.begin(
            realm,
            APP,
            user.getBytes(StandardCharsets.UTF_8),
            SecretBytes.copyOf(pin.getBytes(StandardCharsets.UTF_8)),
            SecretBytes.copyOf(secret),
            guesses,
            RANDOM);
    String token = tokens.apply(user);
    Register1Response r1 =
        call("Register1", reg.register1Request(), token, Register1Response.getDefaultInstance());
    Register2Response r2 =
        call("Register2", reg.register2Request(r1), token, Register2Response.getDefaultInstance());
    return reg.finish(r2);
  }

  /** Recovers with {@code pin}. */
  public RecoverResult recover(String user, String pin) throws Exception {
    return recover(user, pin, null);
  }

  /**
   * Recovers with {@code pin}, sending phase 1 (and so phase 2) only to the members in {@code
   * subset} (all members if null), as an edge or client choosing a t-subset would.
   */
  public RecoverResult recover(String user, String pin, java.util.Set<Integer> subset)
      throws Exception {
    Recovery rec =
        Recovery.begin(
            realm,
            APP,
            user.getBytes(StandardCharsets.UTF_8),
            SecretBytes.copyOf(pin.getBytes(StandardCharsets.UTF_8)),
            RANDOM);
    String token = tokens.apply(user);
    for (int round = 0; round <= Recovery.MAX_RESTARTS; round++) {
      Recover0Response r0 =
          call("Recover0", rec.recover0Request(), token, Recover0Response.getDefaultInstance());
      RecoveryStep<Recover1Request> s1 = rec.afterRecover0(r0);
      if (s1 instanceof RecoveryStep.Done<Recover1Request> d) {
        return d.result();
      }
      Recover1Request q1 = only(((RecoveryStep.Send<Recover1Request>) s1).request(), subset);
      Recover1Response r1 = call("Recover1", q1, token, Recover1Response.getDefaultInstance());
      RecoveryStep<Recover2Request> s2 = rec.afterRecover1(r1);
      if (s2 instanceof RecoveryStep.Done<Recover2Request> d) {
        return d.result();
      }
      if (s2 instanceof RecoveryStep.Restart<Recover2Request>) {
        continue;
      }
      Recover2Response r2 =
          call(
              "Recover2",
              ((RecoveryStep.Send<Recover2Request>) s2).request(),
              token,
              Recover2Response.getDefaultInstance());
      return rec.afterRecover2(r2);
    }
    throw new AssertionError("recovery restarted more than " + Recovery.MAX_RESTARTS + " times");
  }

  /**
   * Registers {@code secret} on the passkey entry of {@code user} with the authenticator's PRF and
   * credential.
   */
  public RegisterResult registerPasskey(
      String user,
      dev.fleetvault.protocol.passkey.SoftwareAuthenticator a,
      byte[] secret,
      int guesses)
      throws Exception {
    byte[] u = user.getBytes(StandardCharsets.UTF_8);
    byte[] prf =
        a.prf(dev.fleetvault.protocol.passkey.PasskeyDerivations.prfSalt(realm.fleetId(), APP, u));
    Registration reg =
        Registration.beginPasskey(
            realm,
            APP,
            u,
            SecretBytes.wrap(prf),
            a.credential(),
            SecretBytes.copyOf(secret),
            guesses,
            RANDOM);
    String token = tokens.apply(user);
    Register1Response r1 =
        call("Register1", reg.register1Request(), token, Register1Response.getDefaultInstance());
    Register2Response r2 =
        call("Register2", reg.register2Request(r1), token, Register2Response.getDefaultInstance());
    return reg.finish(r2);
  }

  /**
   * Recovers the passkey entry of {@code user} with the PRF output of {@code prfFrom} and the
   * assertions of {@code assertions}, under {@code user}'s token.
   */
  public RecoverResult recoverPasskey(
      String user,
      dev.fleetvault.protocol.passkey.SoftwareAuthenticator prfFrom,
      dev.fleetvault.protocol.flow.PasskeyAssertionSource assertions)
      throws Exception {
    byte[] u = user.getBytes(StandardCharsets.UTF_8);
    byte[] prf =
        prfFrom.prf(
            dev.fleetvault.protocol.passkey.PasskeyDerivations.prfSalt(realm.fleetId(), APP, u));
    Recovery rec = Recovery.beginPasskey(realm, APP, u, SecretBytes.wrap(prf), assertions, RANDOM);
    return drive(rec, tokens.apply(user));
  }

  /** Runs a recovery to its result (phase 0 again after a Restart). */
  public RecoverResult drive(Recovery rec, String token) throws Exception {
    for (int round = 0; round <= Recovery.MAX_RESTARTS; round++) {
      RecoveryStep<Recover1Request> s1 =
          rec.afterRecover0(
              call(
                  "Recover0", rec.recover0Request(), token, Recover0Response.getDefaultInstance()));
      if (s1 instanceof RecoveryStep.Done<Recover1Request> d) {
        return d.result();
      }
      RecoveryStep<Recover2Request> s2 =
          rec.afterRecover1(
              call(
                  "Recover1",
                  ((RecoveryStep.Send<Recover1Request>) s1).request(),
                  token,
                  Recover1Response.getDefaultInstance()));
      if (s2 instanceof RecoveryStep.Done<Recover2Request> d) {
        return d.result();
      }
      if (s2 instanceof RecoveryStep.Restart<Recover2Request>) {
        continue;
      }
      return rec.afterRecover2(
          call(
              "Recover2",
              ((RecoveryStep.Send<Recover2Request>) s2).request(),
              token,
              Recover2Response.getDefaultInstance()));
    }
    throw new AssertionError("recovery restarted more than " + Recovery.MAX_RESTARTS + " times");
  }

  /**
   * Deletes the entry {@code userId} (the user's own id or its passkey entry) under {@code user}'s
   * token.
   */
  public dev.fleetvault.protocol.flow.DeleteResult delete(String user, byte[] userId)
      throws Exception {
    dev.fleetvault.protocol.flow.Deletion del =
        dev.fleetvault.protocol.flow.Deletion.begin(realm, APP, userId, RANDOM);
    return del.finish(
        call(
            "Delete",
            del.request(),
            tokens.apply(user),
            dev.fleetvault.protocol.wire.DeleteResponse.getDefaultInstance()));
  }

  /** {@code q} with only the envelopes for the members in {@code subset} (all if null). */
  public static Recover1Request only(Recover1Request q, java.util.Set<Integer> subset) {
    if (subset == null) {
      return q;
    }
    Recover1Request.Builder b = q.toBuilder().clearRequests();
    q.getRequestsList().stream()
        .filter(r -> subset.contains(r.getMember()))
        .forEach(b::addRequests);
    return b.build();
  }

  /** One call; an error answer becomes {@link EdgeError}. */
  public <R extends Message> R call(String method, Message request, String token, R proto)
      throws Exception {
    Reply<R> r = transport.call(method, request, token, proto);
    if (!r.ok()) {
      throw new EdgeError(r);
    }
    return r.body();
  }

  /** The transport. */
  public VaultTransport transport() {
    return transport;
  }
}
