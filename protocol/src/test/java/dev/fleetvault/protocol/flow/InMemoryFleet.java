package dev.fleetvault.protocol.flow;

import com.google.protobuf.ByteString;
import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.hpke.Hpke;
import dev.fleetvault.protocol.hpke.HpkeKeyPair;
import dev.fleetvault.protocol.pin.Argon2idParameters;
import dev.fleetvault.protocol.wire.*;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A fleet of n members in one JVM with no network: each member is a {@link MemberLogic}, a
 * software HPKE key, a record store and a tiny in-memory stand-in for its ledger row (counter
 * and limit; the real one is the quorum module). {@link Gateway} runs the steps exactly in the
 * order /work/team/api-protocol-flows.md prescribes.
 */
final class InMemoryFleet {
  static final String FLEET_ID = "test-fleet";

  /** One member's ledger row (the quorum module's job in production). */
  static final class Row {
    LedgerRow.State state = LedgerRow.State.ABSENT;
    long version;
    int limit;
    int attempts;
    byte[] digest;
    byte[] lastAttempt;
    int attemptCommits;

    LedgerRow view() {
      return new LedgerRow(state, version, state == LedgerRow.State.REGISTERED ? Math.max(0, limit - attempts) : 0);
    }
  }

  /** One member's node: logic, HSM stand-in (software key), ledger rows, record store. */
  final class Node {
    final int index;
    final HpkeKeyPair hpke;
    final MemberLogic logic;
    final Map<ByteString, Row> rows = new HashMap<>();
    final Map<String, byte[]> store = new HashMap<>();
    final Map<ByteString, Final> finals = new HashMap<>();
    /** Test hook: replaces the record handed to recover1Granted (a member evaluating with a wrong key). */
    BiFunction<Integer, MemberRecord, MemberRecord> evaluateWith = (i, r) -> r;

    Node(int index, SecureRandom random) {
      this.index = index;
      this.hpke = HpkeKeyPair.generate(random);
      this.logic = new MemberLogic(index, hpke.publicKey().encodeUncompressed(), random);
    }

    Row row(ByteString user) {
      return rows.computeIfAbsent(user, u -> new Row());
    }

    String key(ByteString user, long version) {
      return user.toStringUtf8() + "/" + version;
    }

    MemberRecord record(ByteString user, Row row) {
      if (row.state != LedgerRow.State.REGISTERED) {
        return null;
      }
      byte[] bytes = store.get(key(user, row.version));
      if (bytes == null || !MessageDigest.isEqual(MemberRecords.digest(bytes), row.digest)) {
        throw new IllegalStateException("record missing or digest mismatch");
      }
      return MemberRecords.decode(bytes);
    }

    /** The gateway's member handler (HSM: ECDH and sealing are in software here). */
    MemberResponse handle(Phase phase, MemberRequest request) {
      WireCodec.check(request);
      byte[] enc = logic.encForHsm(request);
      byte[] dh = Ecdh.sharedSecretX(hpke.privateKey(), Hpke.parseEnc(enc));
      ByteString user = request.getUserId();
      try (OpenedRequest req = logic.open(phase, request, dh)) {
        Row row = row(user);
        MemberRecord record = record(user, row);
        switch (phase) {
          case PHASE_REGISTER1:
            return logic.register1(req, row.view());
          case PHASE_REGISTER2: {
            Register2Step step = logic.register2(req, row.view(), record);
            if (step instanceof Register2Step.Reply r) {
              return r.response();
            }
            Register2Step.Store s = (Register2Step.Store) step;
            store.put(key(user, s.version()), s.recordBytes());
            if (s.version() <= row.version) { // ledger rule: versions only go up
              return logic.register2Stale(req, row.version);
            }
            store.remove(key(user, row.version));
            finals.remove(user);
            row.state = LedgerRow.State.REGISTERED;
            row.version = s.version();
            row.digest = s.recordDigest();
            row.limit = s.guessLimit();
            row.attempts = 0;
            row.lastAttempt = null;
            return logic.register2Committed(req, s.version());
          }
          case PHASE_RECOVER0:
            return logic.recover0(req, row.view(), record);
          case PHASE_RECOVER1: {
            Recover1Step step = logic.recover1(req, row.view(), record);
            if (step instanceof Recover1Step.Reply r) {
              return r.response();
            }
            byte[] id = ((Recover1Step.CommitAttempt) step).attemptId();
            // ledger: attempt(user, id), as the quorum module does it
            MemberRecord evaluateFrom = record;
            if (row.lastAttempt != null && Arrays.equals(row.lastAttempt, id)) {
              // the same attempt again: not counted twice
            } else if (row.attempts >= row.limit) {
              destroy(user, row);
              return logic.recover1NoGuesses(req);
            } else {
              row.attempts++;
              row.attemptCommits++;
              row.lastAttempt = id;
              if (row.attempts == row.limit) {
                // the command that counts the last guess destroys the record; the node keeps the
                // unsealed record in memory only to finish this one attempt
                finals.put(user, new Final(id, row.version, record));
                destroy(user, row);
              }
            }
            return logic.recover1Granted(req, evaluateWith.apply(index, evaluateFrom),
                new AttemptGranted(id, row.limit - row.attempts));
          }
          case PHASE_RECOVER2: {
            Final last = finals.get(user);
            if (row.state == LedgerRow.State.NO_GUESSES && last != null) {
              // phase 2 of the attempt that used the last guess: no counter left to reset
              Recover2Step step = logic.recover2(req, new LedgerRow(LedgerRow.State.REGISTERED, last.version(), 0),
                  last.record());
              if (step instanceof Recover2Step.CommitSuccess c) {
                if (!Arrays.equals(c.attemptId(), last.attemptId())) {
                  throw new LedgerRefused("not the latest counted attempt");
                }
                finals.remove(user);
                return c.responseAfterCommit();
              }
              finals.remove(user);
              return step instanceof Recover2Step.CommitDestroy d ? d.response() : ((Recover2Step.Reply) step).response();
            }
            Recover2Step step = logic.recover2(req, row.view(), record);
            if (step instanceof Recover2Step.Reply r) {
              return r.response();
            }
            if (step instanceof Recover2Step.CommitDestroy d) {
              destroy(user, row);
              return d.response();
            }
            Recover2Step.CommitSuccess c = (Recover2Step.CommitSuccess) step;
            // ledger: succeed(user, id) only for the latest counted attempt
            if (row.lastAttempt == null || !Arrays.equals(row.lastAttempt, c.attemptId())) {
              throw new LedgerRefused("succeed refused: not the latest counted attempt");
            }
            row.attempts = 0;
            row.lastAttempt = null;
            return c.responseAfterCommit();
          }
          case PHASE_DELETE:
            if (row.state == LedgerRow.State.REGISTERED) {
              store.remove(key(user, row.version));
              row.state = LedgerRow.State.DELETED;
            }
            finals.remove(user);
            return logic.deleted(req);
          default:
            throw new IllegalArgumentException(phase.toString());
        }
      }
    }

    void destroy(ByteString user, Row row) {
      store.remove(key(user, row.version));
      row.state = LedgerRow.State.NO_GUESSES;
    }
  }

  /** The record a node keeps in memory to finish the attempt that used the last guess. */
  record Final(byte[] attemptId, long version, MemberRecord record) {}

  /** The ledger refused a command; the gateway answers an error status and nothing else. */
  static final class LedgerRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LedgerRefused(String m) {
      super(m);
    }
  }

  final List<Node> nodes = new ArrayList<>();
  final RealmConfig realm;
  final SecureRandom random;
  /** Every byte the edge saw (client requests and responses), for the "edge sees no plaintext" test. */
  final List<byte[]> edgeSaw = new ArrayList<>();
  /** Test hook: members that do not answer. */
  final java.util.Set<Integer> down = new java.util.HashSet<>();

  InMemoryFleet(int n, SecureRandom random) {
    this.random = random;
    List<MemberKey> keys = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      Node node = new Node(i, random);
      nodes.add(node);
      keys.add(MemberKey.of(i, node.hpke.publicKey().encodeUncompressed()));
    }
    realm = RealmConfig.of(FLEET_ID, n / 2 + 1, keys, Argon2idParameters.ARGON2ID_V1_INSECURE_TEST_ONLY.id());
  }

  Node node(int i) {
    return nodes.get(i - 1);
  }

  /** The edge: fan out, collect, never open anything. Bad requests and ledger refusals become "unavailable". */
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
    Register1Response resp = Register1Response.newBuilder().setVersion(1).setSuite(1)
        .addAllResults(fanOut(Phase.PHASE_REGISTER1, r.getUserId(), r.getRequestsList())).build();
    edgeSaw.add(WireCodec.encode(resp));
    return resp;
  }

  Register2Response call(Register2Request r) {
    edgeSaw.add(WireCodec.encode(r));
    Register2Response resp = Register2Response.newBuilder().setVersion(1).setSuite(1)
        .addAllResults(fanOut(Phase.PHASE_REGISTER2, r.getUserId(), r.getRequestsList())).build();
    edgeSaw.add(WireCodec.encode(resp));
    return resp;
  }

  Recover0Response call(Recover0Request r) {
    edgeSaw.add(WireCodec.encode(r));
    Recover0Response resp = Recover0Response.newBuilder().setVersion(1).setSuite(1)
        .addAllResults(fanOut(Phase.PHASE_RECOVER0, r.getUserId(), r.getRequestsList())).build();
    edgeSaw.add(WireCodec.encode(resp));
    return resp;
  }

  Recover1Response call(Recover1Request r) {
    edgeSaw.add(WireCodec.encode(r));
    Recover1Response resp = Recover1Response.newBuilder().setVersion(1).setSuite(1)
        .addAllResults(fanOut(Phase.PHASE_RECOVER1, r.getUserId(), r.getRequestsList())).build();
    edgeSaw.add(WireCodec.encode(resp));
    return resp;
  }

  Recover2Response call(Recover2Request r) {
    edgeSaw.add(WireCodec.encode(r));
    Recover2Response resp = Recover2Response.newBuilder().setVersion(1).setSuite(1)
        .addAllResults(fanOut(Phase.PHASE_RECOVER2, r.getUserId(), r.getRequestsList())).build();
    edgeSaw.add(WireCodec.encode(resp));
    return resp;
  }

  DeleteResponse call(DeleteRequest r) {
    edgeSaw.add(WireCodec.encode(r));
    DeleteResponse resp = DeleteResponse.newBuilder().setVersion(1).setSuite(1)
        .addAllResults(fanOut(Phase.PHASE_DELETE, r.getUserId(), r.getRequestsList())).build();
    edgeSaw.add(WireCodec.encode(resp));
    return resp;
  }

  // ---- whole flows, as the SDK would drive them ----

  RegisterResult register(byte[] user, byte[] pin, byte[] secret, int limit) {
    Registration reg = Registration.begin(realm, user, dev.fleetvault.protocol.secret.SecretBytes.copyOf(pin),
        dev.fleetvault.protocol.secret.SecretBytes.copyOf(secret), limit, random);
    Register1Response r1 = call(reg.register1Request());
    return reg.finish(call(reg.register2Request(r1)));
  }

  RecoverResult recover(byte[] user, byte[] pin) {
    return recover(Recovery.begin(realm, user, dev.fleetvault.protocol.secret.SecretBytes.copyOf(pin), random));
  }

  RecoverResult recover(Recovery rec) {
    RecoveryStep<Recover1Request> s1 = rec.afterRecover0(call(rec.recover0Request()));
    if (s1 instanceof RecoveryStep.Done<Recover1Request> d) {
      return d.result();
    }
    RecoveryStep<Recover2Request> s2 = rec.afterRecover1(call(((RecoveryStep.Send<Recover1Request>) s1).request()));
    if (s2 instanceof RecoveryStep.Done<Recover2Request> d) {
      return d.result();
    }
    return rec.afterRecover2(call(((RecoveryStep.Send<Recover2Request>) s2).request()));
  }

  DeleteResult delete(byte[] user) {
    Deletion del = Deletion.begin(realm, user, random);
    return del.finish(call(del.request()));
  }

  /** A record with a different OPRF key share (a faulty member). */
  static MemberRecord withWrongKey(MemberRecord r, SecureRandom random) {
    return r.toBuilder().setOprfKeyShare(ByteString.copyFrom(Scalar.random(random).encode())).build();
  }
}
