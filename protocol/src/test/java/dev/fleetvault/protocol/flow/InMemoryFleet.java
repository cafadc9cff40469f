package dev.fleetvault.protocol.flow;

import com.google.protobuf.ByteString;
import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.hpke.Hpke;
import dev.fleetvault.protocol.hpke.HpkeKeyPair;
import dev.fleetvault.protocol.pin.Argon2idParameters;
import dev.fleetvault.protocol.wire.*;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fleet of n members in one JVM with no network: each member is a {@link MemberLogic}, a software
 * HPKE key and a record store; one {@link Ledger} stands in for the quorum module with the counting
 * model of PROTOCOL.md §10 (one registration per (ledger key, version), one counted-id set for all
 * members, t succeeds reset it). {@link Node#handle} interprets the member core's effects the way
 * the gateway does.
 */
final class InMemoryFleet {
  static final String FLEET_ID = "test-fleet";
  static final String APP_ID = "test-app";

  /** One member's ledger row (the quorum module's job in production). */
  static final class Row {
    LedgerRow.State state = LedgerRow.State.ABSENT;
    long version;
    int limit;
    byte[] digest = new byte[0];
  }

  /** One registration: (ledger key, version) across all members' rows. */
  static final class Reg {
    long generation = 1;
    final Set<ByteString> counted = new LinkedHashSet<>();
    final Map<ByteString, Set<Integer>> succeeders = new HashMap<>();
  }

  /** The ledger's answer to an attempt. */
  sealed interface Attempt permits Allowed, Refused, Rejected {}

  record Allowed(CommitWitness witness, byte[] finalRecord) implements Attempt {}

  record Refused(LedgerRow.State state) implements Attempt {}

  record Rejected(String reason) implements Attempt {}

  /**
   * The replicated ledger, as every replica applies it (the rules of PROTOCOL.md section 10): rows
   * per (member, ledger key), registrations per (ledger key, version).
   */
  final class Ledger {
    final Map<String, Row> rows = new HashMap<>();
    final Map<String, Reg> regs = new HashMap<>();

    Row row(int member, String key) {
      return rows.computeIfAbsent(member + "|" + key, k -> new Row());
    }

    Reg reg(String key, long version) {
      return regs.get(key + "#" + version);
    }

    LedgerRow view(int member, String key) {
      Row r = row(member, key);
      if (r.state != LedgerRow.State.REGISTERED) {
        return new LedgerRow(r.state, r.version, new byte[0], 0, 0);
      }
      Reg g = reg(key, r.version);
      return new LedgerRow(
          r.state, r.version, r.digest, g.generation, Math.max(0, r.limit - g.counted.size()));
    }

    boolean register(int member, String key, long version, byte[] digest, int limit) {
      Row r = row(member, key);
      if (version <= r.version
          || version > dev.fleetvault.protocol.wire.WireLimits.MAX_RECORD_VERSION) {
        return false;
      }
      r.state = LedgerRow.State.REGISTERED;
      r.version = version;
      r.digest = digest.clone();
      r.limit = limit;
      regs.computeIfAbsent(key + "#" + version, k -> new Reg());
      dropUnreferenced();
      return true;
    }

    void dropUnreferenced() {
      Set<String> live = new java.util.HashSet<>();
      for (Map.Entry<String, Row> e : rows.entrySet()) {
        String key = e.getKey().substring(e.getKey().indexOf('|') + 1);
        live.add(key + "#" + e.getValue().version);
      }
      regs.keySet().retainAll(live);
    }

    Attempt attempt(
        int member, String key, long version, byte[] digest, long generation, byte[] id) {
      Row r = row(member, key);
      if (r.state != LedgerRow.State.REGISTERED) {
        return new Refused(r.state);
      }
      if (r.version != version || !Arrays.equals(r.digest, digest)) {
        return new Rejected("VERSION_MISMATCH");
      }
      Reg g = reg(key, version);
      if (g.generation != generation) {
        return new Rejected("STALE_GENERATION");
      }
      ByteString bid = ByteString.copyFrom(id);
      boolean granted;
      if (g.counted.contains(bid)) {
        granted = true;
      } else if (g.counted.size() < r.limit) {
        g.counted.add(bid);
        granted = true;
      } else {
        granted = false;
      }
      boolean destroyed = g.counted.size() >= r.limit;
      byte[] digestAtCount = r.digest;
      if (destroyed) {
        r.state = LedgerRow.State.NO_GUESSES;
        r.digest = new byte[0];
      }
      if (!granted) {
        return new Refused(LedgerRow.State.NO_GUESSES);
      }
      CommitWitness w =
          TestWitnesses.witness(
              CommitWitness.Kind.ATTEMPT_GRANTED,
              member,
              key,
              version,
              digestAtCount,
              generation,
              id,
              Math.max(0, r.limit - g.counted.size()),
              destroyed);
      return new Allowed(w, null);
    }

    /** Null if refused (NOT_COUNTED). */
    CommitWitness succeed(
        int member, String key, long version, byte[] digest, long generation, byte[] id) {
      Row r = row(member, key);
      Reg g = reg(key, version);
      ByteString bid = ByteString.copyFrom(id);
      if (r.state != LedgerRow.State.REGISTERED
          || r.version != version
          || !Arrays.equals(r.digest, digest)
          || g == null
          || g.generation != generation
          || !g.counted.contains(bid)) {
        return null;
      }
      Set<Integer> who = g.succeeders.computeIfAbsent(bid, k -> new java.util.TreeSet<>());
      who.add(member);
      if (who.size() >= nodes.size() / 2 + 1) {
        g.generation++;
        g.counted.clear();
        g.succeeders.clear();
        resets++;
      }
      return TestWitnesses.witness(
          CommitWitness.Kind.SUCCEEDED,
          member,
          key,
          version,
          digest,
          generation,
          id,
          Math.max(0, r.limit - g.counted.size()),
          false);
    }

    void delete(int member, String key) {
      Row r = row(member, key);
      if (r.state == LedgerRow.State.REGISTERED) {
        r.state = LedgerRow.State.DELETED;
        r.digest = new byte[0];
      }
    }
  }

  /** One member's node: core, HSM stand-in (software key), record store, last-guess records. */
  final class Node {
    final int index;
    final HpkeKeyPair hpke;
    final MemberLogic logic;
    final Map<String, byte[]> store = new HashMap<>();
    final Map<String, Final> finals = new HashMap<>();

    /**
     * Test hook: the next phase-1 row read sees another generation (a replica that has not caught
     * up).
     */
    boolean staleRowOnce;

    /** Attempt ids this member evaluated (k_i·B computed). */
    final List<ByteString> evaluated = new ArrayList<>();

    Node(int index, SecureRandom random, RegistrationPolicy policy) {
      this.index = index;
      this.hpke = HpkeKeyPair.generate(random);
      this.logic =
          new MemberLogic(index, hpke.publicKey().encodeUncompressed(), FLEET_ID, policy, random);
    }

    String storeKey(String key, long version) {
      return key + "/" + version;
    }

    byte[] record(String key, LedgerRow row) {
      if (row.state() != LedgerRow.State.REGISTERED) {
        return null;
      }
      return store.get(storeKey(key, row.version()));
    }

    /** The gateway's member handler: performs exactly the effects the core names. */
    MemberResponse handle(Phase phase, MemberRequest request) {
      WireCodec.check(request);
      byte[] enc = logic.encForHsm(request);
      byte[] dh = Ecdh.sharedSecretX(hpke.privateKey(), Hpke.parseEnc(enc));
      try (OpenedRequest req = logic.open(phase, request, appFor.apply(index), dh)) {
        String key = req.ledgerKey();
        LedgerRow row = ledger.view(index, key);
        switch (phase) {
          case PHASE_REGISTER1:
            return logic.register1(req, row);
          case PHASE_REGISTER2:
            {
              Register2Step step = logic.register2(req, row, record(key, row), relyingParty);
              if (step instanceof Register2Step.Reply r) {
                return r.response();
              }
              Register2Step.Store s = (Register2Step.Store) step;
              store.putIfAbsent(storeKey(key, s.version()), s.recordBytes());
              long old = row.version();
              if (!ledger.register(index, key, s.version(), s.recordDigest(), s.guessLimit())) {
                return logic.register2Stale(req, ledger.view(index, key).version());
              }
              store.remove(storeKey(key, old));
              finals.remove(key);
              return logic.register2Committed(req, s.version());
            }
          case PHASE_RECOVER0:
            {
              long version = row.version();
              return logic.recover0(
                  req,
                  row,
                  record(key, row),
                  logic
                      .recover0AttemptId(req)
                      .map(
                          id -> {
                            Reg g = ledger.reg(key, version);
                            return g != null && g.counted.contains(ByteString.copyFrom(id));
                          }));
            }
          case PHASE_RECOVER1:
            {
              if (staleRowOnce && row.state() == LedgerRow.State.REGISTERED) {
                staleRowOnce = false;
                row =
                    new LedgerRow(
                        row.state(),
                        row.version(),
                        row.recordDigest(),
                        row.generation() + 1,
                        row.guessesRemaining());
              }
              Recover1Step step = logic.recover1(req, row, record(key, row));
              if (step instanceof Recover1Step.Reply r) {
                return r.response();
              }
              Recover1Step.CommitAttempt c = (Recover1Step.CommitAttempt) step;
              byte[] plaintext = record(key, row);
              Attempt a =
                  ledger.attempt(
                      index, key, c.version(), c.recordDigest(), c.generation(), c.attemptId());
              if (a instanceof Refused) {
                destroy(key, row.version());
                return logic.recover1NoGuesses(req);
              }
              if (a instanceof Rejected) {
                return logic.recover1Stale(req);
              }
              CommitWitness w = ((Allowed) a).witness();
              if (w.lastGuess()) {
                // the command that counted the last guess destroyed the record; the node keeps the
                // plaintext in memory only to finish this one attempt
                finals.put(key, new Final(w, plaintext));
                destroy(key, row.version());
              }
              MemberResponse resp = logic.recover1Evaluate(req, plaintext, w);
              evaluated.add(ByteString.copyFrom(c.attemptId()));
              evaluatedAttempts.add(ByteString.copyFrom(c.attemptId()));
              return resp;
            }
          case PHASE_RECOVER2:
            {
              Final last = finals.get(key);
              if (row.state() == LedgerRow.State.NO_GUESSES && last != null) {
                try {
                  return logic.recover2Release(req, last.record(), last.grant());
                } catch (IllegalArgumentException e) {
                  throw new LedgerRefused("not the attempt that used the last guess");
                } finally {
                  finals.remove(key);
                }
              }
              Recover2Step step = logic.recover2(req, row, record(key, row));
              if (step instanceof Recover2Step.Reply r) {
                return r.response();
              }
              Recover2Step.CommitSuccess c = (Recover2Step.CommitSuccess) step;
              CommitWitness w =
                  ledger.succeed(
                      index, key, c.version(), c.recordDigest(), c.generation(), c.attemptId());
              if (w == null) {
                throw new LedgerRefused("succeed refused: NOT_COUNTED");
              }
              return logic.recover2Release(req, record(key, row), w);
            }
          case PHASE_DELETE:
            if (row.state() == LedgerRow.State.REGISTERED) {
              store.remove(storeKey(key, row.version()));
            }
            ledger.delete(index, key);
            finals.remove(key);
            return logic.deleted(req);
          default:
            throw new IllegalArgumentException(phase.toString());
        }
      }
    }

    void destroy(String key, long version) {
      store.remove(storeKey(key, version));
    }
  }

  /** The record a node keeps in memory to finish the attempt that used the last guess. */
  record Final(CommitWitness grant, byte[] record) {}

  /** The ledger refused a command; the gateway answers an error status and nothing else. */
  static final class LedgerRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LedgerRefused(String m) {
      super(m);
    }
  }

  final Ledger ledger = new Ledger();

  /** Attempt ids at least one member evaluated, fleet-wide. */
  final Set<ByteString> evaluatedAttempts = new LinkedHashSet<>();

  /** Counter resets (t succeeds for one attempt). */
  int resets;

  /** Test hook: the app id the edge tells member i the caller has. */
  java.util.function.IntFunction<String> appFor = i -> APP_ID;

  final List<Node> nodes = new ArrayList<>();
  final RealmConfig realm;
  final SecureRandom random;

  /**
   * Every byte the edge saw (client requests and responses), for the "edge sees no plaintext" test.
   */
  final List<byte[]> edgeSaw = new ArrayList<>();

  /** The app's WebAuthn relying party every member is configured with (empty: passkeys refused). */
  java.util.Optional<dev.fleetvault.protocol.passkey.RelyingParty> relyingParty =
      java.util.Optional.of(
          new dev.fleetvault.protocol.passkey.RelyingParty(
              "app.example", List.of("https://app.example")));

  /** Test hook: members that do not answer. */
  final java.util.Set<Integer> down = new java.util.HashSet<>();

  InMemoryFleet(int n, SecureRandom random) {
    this(n, random, RegistrationPolicy.production(n).allowingTestPinParams());
  }

  InMemoryFleet(int n, SecureRandom random, RegistrationPolicy policy) {
    this.random = random;
    List<MemberKey> keys = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      Node node = new Node(i, random, policy);
      nodes.add(node);
      keys.add(MemberKey.of(i, node.hpke.publicKey().encodeUncompressed()));
    }
    realm =
        RealmConfig.of(
            FLEET_ID, n / 2 + 1, keys, Argon2idParameters.ARGON2ID_V1_INSECURE_TEST_ONLY.id());
  }

  Node node(int i) {
    return nodes.get(i - 1);
  }

  /** The ledger key of {@code user} of the test app. */
  static String key(byte[] user) {
    return LedgerKeys.of(APP_ID, user);
  }

  /** Member i's ledger row of {@code user}. */
  Row row(int i, byte[] user) {
    return ledger.row(i, key(user));
  }

  /** Attempt ids counted on {@code user}'s current registration (0 if none). */
  int counted(byte[] user) {
    Row r = row(1, user);
    Reg g = ledger.reg(key(user), r.version);
    return g == null ? 0 : g.counted.size();
  }

  /** Member i's stored record plaintext of {@code user} at the row's version. */
  byte[] record(int i, byte[] user) {
    return node(i).record(key(user), ledger.view(i, key(user)));
  }

  /**
   * A compromised member i replaces its own record by one with a wrong OPRF key share and commits
   * its digest (it controls its own row): its evaluations then fail their proofs.
   */
  void corruptKeyShare(int i, byte[] user) {
    Row r = row(i, user);
    byte[] bad = withWrongKey(record(i, user), random);
    node(i).store.put(node(i).storeKey(key(user), r.version), bad);
    r.digest = MemberRecords.digest(bad);
  }

  /**
   * The edge: fan out, collect, never open anything. Bad requests and ledger refusals become
   * "unavailable".
   */
  List<MemberResult> fanOut(Phase phase, ByteString user, List<SealedRequest> requests) {
    List<MemberResult> results = new ArrayList<>();
    for (SealedRequest r : requests) {
      int i = r.getMember();
      if (down.contains(i) || i < 1 || i > nodes.size()) {
        results.add(EdgeMessages.unavailable(i, "down"));
        continue;
      }
      try {
        MemberResponse resp = node(i).handle(phase, EdgeMessages.toMember(user, r));
        results.add(EdgeMessages.answered(WireCodec.check(resp)));
      } catch (BadRequestException | LedgerRefused e) {
        results.add(EdgeMessages.unavailable(i, e.getClass().getSimpleName()));
      }
    }
    return results;
  }

  Register1Response call(Register1Request r) {
    edgeSaw.add(WireCodec.encode(r));
    Register1Response resp =
        Register1Response.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .addAllResults(fanOut(Phase.PHASE_REGISTER1, r.getUserId(), r.getRequestsList()))
            .build();
    edgeSaw.add(WireCodec.encode(resp));
    return resp;
  }

  Register2Response call(Register2Request r) {
    edgeSaw.add(WireCodec.encode(r));
    Register2Response resp =
        Register2Response.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .addAllResults(fanOut(Phase.PHASE_REGISTER2, r.getUserId(), r.getRequestsList()))
            .build();
    edgeSaw.add(WireCodec.encode(resp));
    return resp;
  }

  Recover0Response call(Recover0Request r) {
    edgeSaw.add(WireCodec.encode(r));
    Recover0Response resp =
        Recover0Response.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .addAllResults(fanOut(Phase.PHASE_RECOVER0, r.getUserId(), r.getRequestsList()))
            .build();
    edgeSaw.add(WireCodec.encode(resp));
    return resp;
  }

  Recover1Response call(Recover1Request r) {
    edgeSaw.add(WireCodec.encode(r));
    Recover1Response resp =
        Recover1Response.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .addAllResults(fanOut(Phase.PHASE_RECOVER1, r.getUserId(), r.getRequestsList()))
            .build();
    edgeSaw.add(WireCodec.encode(resp));
    return resp;
  }

  Recover2Response call(Recover2Request r) {
    edgeSaw.add(WireCodec.encode(r));
    Recover2Response resp =
        Recover2Response.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .addAllResults(fanOut(Phase.PHASE_RECOVER2, r.getUserId(), r.getRequestsList()))
            .build();
    edgeSaw.add(WireCodec.encode(resp));
    return resp;
  }

  DeleteResponse call(DeleteRequest r) {
    edgeSaw.add(WireCodec.encode(r));
    DeleteResponse resp =
        DeleteResponse.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .addAllResults(fanOut(Phase.PHASE_DELETE, r.getUserId(), r.getRequestsList()))
            .build();
    edgeSaw.add(WireCodec.encode(resp));
    return resp;
  }

  // ---- whole flows, as the SDK would drive them ----

  RegisterResult register(byte[] user, byte[] pin, byte[] secret, int limit) {
    Registration reg =
        Registration.begin(
            realm,
            APP_ID,
            user,
            dev.fleetvault.protocol.secret.SecretBytes.copyOf(pin),
            dev.fleetvault.protocol.secret.SecretBytes.copyOf(secret),
            limit,
            random);
    Register1Response r1 = call(reg.register1Request());
    return reg.finish(call(reg.register2Request(r1)));
  }

  RecoverResult recover(byte[] user, byte[] pin) {
    return recover(
        Recovery.begin(
            realm, APP_ID, user, dev.fleetvault.protocol.secret.SecretBytes.copyOf(pin), random));
  }

  RecoverResult recover(Recovery rec) {
    RecoveryStep<Recover2Request> s2;
    do {
      RecoveryStep<Recover1Request> s1 = rec.afterRecover0(call(rec.recover0Request()));
      if (s1 instanceof RecoveryStep.Done<Recover1Request> d) {
        return d.result();
      }
      s2 = rec.afterRecover1(call(((RecoveryStep.Send<Recover1Request>) s1).request()));
      if (s2 instanceof RecoveryStep.Done<Recover2Request> d) {
        return d.result();
      }
    } while (s2 instanceof RecoveryStep.Restart<Recover2Request>);
    return rec.afterRecover2(call(((RecoveryStep.Send<Recover2Request>) s2).request()));
  }

  /**
   * Registers {@code secret} on the passkey entry of {@code user} with the authenticator's PRF and
   * credential.
   */
  RegisterResult registerPasskey(
      byte[] user,
      dev.fleetvault.protocol.passkey.SoftwareAuthenticator a,
      byte[] secret,
      int limit) {
    byte[] prf =
        a.prf(dev.fleetvault.protocol.passkey.PasskeyDerivations.prfSalt(FLEET_ID, APP_ID, user));
    Registration reg =
        Registration.beginPasskey(
            realm,
            APP_ID,
            user,
            dev.fleetvault.protocol.secret.SecretBytes.wrap(prf),
            a.credential(),
            dev.fleetvault.protocol.secret.SecretBytes.copyOf(secret),
            limit,
            random);
    Register1Response r1 = call(reg.register1Request());
    return reg.finish(call(reg.register2Request(r1)));
  }

  /**
   * Recovers the passkey entry of {@code user}: PRF from {@code a}, assertions from {@code source}.
   */
  RecoverResult recoverPasskey(
      byte[] user,
      dev.fleetvault.protocol.passkey.SoftwareAuthenticator a,
      PasskeyAssertionSource source) {
    byte[] prf =
        a.prf(dev.fleetvault.protocol.passkey.PasskeyDerivations.prfSalt(FLEET_ID, APP_ID, user));
    return recover(
        Recovery.beginPasskey(
            realm,
            APP_ID,
            user,
            dev.fleetvault.protocol.secret.SecretBytes.wrap(prf),
            source,
            random));
  }

  DeleteResult delete(byte[] user) {
    Deletion del = Deletion.begin(realm, APP_ID, user, random);
    return del.finish(call(del.request()));
  }

  /** A record with a different OPRF key share (a faulty member). */
  static byte[] withWrongKey(byte[] r, SecureRandom random) {
    return MemberRecords.decode(r).toBuilder()
        .setOprfKeyShare(ByteString.copyFrom(Scalar.random(random).encode()))
        .build()
        .toByteArray();
  }
}
