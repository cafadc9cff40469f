package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.CommandType;
import dev.fleetvault.quorum.LedgerCommand;
import dev.fleetvault.quorum.RejectReason;
import dev.fleetvault.quorum.RowState;
import dev.fleetvault.quorum.RowView;
import dev.fleetvault.quorum.SignedCommand;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jgroups.raft.StateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's deterministic state machine: one row per {@code (user, member)}, changed only by
 * commands signed by that member, and one <em>registration</em> per {@code (user, version)} that
 * counts attempts for the whole fleet.
 *
 * <p>Counting (see the quorum README): a registration holds its {@code generation} (starts at 1),
 * the set of attempt ids counted in that generation (each with the signed {@code ATTEMPT} that
 * counted it) and, per id, the members whose signed {@code SUCCEED} for it were applied. An {@code
 * ATTEMPT} of member {@code i} is granted when its id is already counted or the set holds fewer
 * than {@code L_i} ids (then it is added); the row becomes {@code NO_GUESSES} (record destroyed) as
 * soon as the set reaches {@code L_i}. {@code t = ⌊n/2⌋+1} members' {@code SUCCEED} for one counted
 * id advance the generation and clear the set; one member's does not. Registrations no row refers
 * to (no {@code REGISTERED} or {@code NO_GUESSES} row at that version) are dropped.
 *
 * <p>Contracts (as jgroups-raft's {@link StateMachine} asks):
 *
 * <ul>
 *   <li><b>Deterministic</b>: {@code apply} reads no clock, no randomness, no local configuration
 *       but the fleet's member keys (identical on every replica); iteration orders are fixed
 *       (sorted maps), so every replica computes the same state.
 *   <li><b>Single-threaded</b>: RAFT calls {@code apply}, {@code readContentFrom} and {@code
 *       writeContentTo} from its one runner thread; methods are also synchronized for status reads
 *       from other threads.
 *   <li><b>Failures are values</b>: nothing is thrown from {@code apply}; every refusal is an
 *       encoded {@code REJECTED} answer and leaves the state as it was.
 *   <li><b>Local answers</b>: after a member command whose signature verified (and after every read
 *       entry) the answer this replica computed is handed to the {@link Listener}; the node
 *       completes its own waiting requests from there and from nowhere else.
 *   <li><b>Snapshots never lower a row</b> (see {@link LedgerSnapshot}): the snapshot carries every
 *       row's latest signed command and registering command, every counted id's signed {@code
 *       ATTEMPT}, every {@code SUCCEED}, and the {@code t} signed {@code SUCCEED}s behind each
 *       generation above 1; installing one verifies all of it and refuses a snapshot that
 *       contradicts this replica's state.
 * </ul>
 *
 * <p>Order of checks for a member command: strict parse; known epoch and member; signature under
 * that member's key; request id already applied on this row (answer again); sequence number exactly
 * row sequence + 1; then the command's own rules. Only an applied command advances the row's
 * sequence.
 */
public final class LedgerStateMachine implements StateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerStateMachine.class);

  /**
   * Request ids remembered per row for idempotent answers (in memory only, never in a snapshot).
   */
  static final int RECENT = 8;

  /** Receives the answers this replica computed (called inside {@code apply}; must not block). */
  public interface Listener {
    /**
     * A member command with a valid signature was applied (or refused) here with {@code answer}.
     */
    void commandApplied(int member, byte[] requestId, byte[] answer);

    /** A read entry with {@code nonce} was answered here with {@code answer}. */
    void readApplied(byte[] nonce, byte[] answer);

    /**
     * This replica has applied every entry up to {@code index} (called on the apply thread, after
     * the entry).
     */
    default void appliedThrough(long index) {}
  }

  private final CommandVerifier verifier;
  private final SignatureVerdicts verdicts;
  final TreeMap<RowKey, Row> rows = new TreeMap<>();
  final TreeMap<RegKey, Registration> regs = new TreeMap<>();
  private long applied;
  private long applyingIndex;
  private volatile Listener listener;

  public LedgerStateMachine(CommandVerifier verifier) {
    this(verifier, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * @param verifyThreads threads that verify signatures ahead of apply (0: the apply thread
   *     verifies each command itself)
   */
  LedgerStateMachine(CommandVerifier verifier, int verifyThreads) {
    this.verifier = verifier;
    this.verdicts = new SignatureVerdicts(verifier, verifyThreads);
  }

  CommandVerifier verifier() {
    return verifier;
  }

  /**
   * The verdicts computed ahead of apply; replicas call {@link SignatureVerdicts#prefetch} as
   * entries arrive.
   */
  SignatureVerdicts verdicts() {
    return verdicts;
  }

  /** Stops the verification pool. */
  void close() {
    verdicts.close();
  }

  /** Sets the listener that receives this replica's answers. */
  public void listener(Listener l) {
    this.listener = l;
  }

  /**
   * Called by {@link FleetRaft} on the apply thread once the entry at {@code index} was applied
   * (outside the lock).
   */
  void applied(long index) {
    Listener l = listener;
    if (l != null) notify(() -> l.appliedThrough(index));
  }

  /**
   * Called by {@link FleetRaft} on the apply thread with the log index of the entry about to be
   * applied.
   */
  synchronized void applying(long index) {
    applyingIndex = index;
  }

  @Override
  public synchronized byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) {
    applied++;
    long index = applyingIndex;
    applyingIndex = 0;
    try {
      if (length < 1) return Results.rejected(RejectReason.MALFORMED, "empty entry");
      return switch (data[offset]) {
        case Entries.NOOP -> new byte[] {Results.OK};
        case Entries.MEMBER_COMMAND -> applyMemberCommand(data, offset + 1, length - 1, index);
        case Entries.READ -> applyRead(data, offset + 1, length - 1);
        case Entries.BATCH -> applyBatch(data, offset, length, index);
        default -> Results.rejected(RejectReason.MALFORMED, "unknown entry kind");
      };
    } catch (RuntimeException e) {
      return Results.rejected(RejectReason.MALFORMED, "malformed entry");
    }
  }

  /**
   * A batch: each of its entries applied in order exactly as if it were its own log entry at this
   * index (same checks, same answers to the listener). Answers {@code OK}; a batch that does not
   * parse strictly is refused whole and changes nothing.
   */
  private byte[] applyBatch(byte[] data, int off, int len, long index) {
    java.util.List<byte[]> entries;
    try {
      entries = Entries.unbatch(data, off, len);
    } catch (IllegalArgumentException e) {
      return Results.rejected(RejectReason.MALFORMED, "malformed batch");
    }
    for (byte[] e : entries) {
      try {
        if (e[0] == Entries.MEMBER_COMMAND) applyMemberCommand(e, 1, e.length - 1, index);
        else applyRead(e, 1, e.length - 1);
      } catch (RuntimeException ex) {
        // as for a single entry: a malformed entry is refused and changes nothing; the next one is
        // applied
      }
    }
    return new byte[] {Results.OK};
  }

  private byte[] applyRead(byte[] data, int off, int len) {
    ByteBuffer b = ByteBuffer.wrap(data, off, len);
    int member = b.get() & 0xff;
    byte[] u = new byte[b.getShort() & 0xffff];
    b.get(u);
    byte[] nonce = new byte[b.remaining()];
    b.get(nonce);
    String user = new String(u, StandardCharsets.UTF_8);
    byte[] answer = Results.ok(view(user, member), true, false);
    Listener l = listener;
    if (l != null && nonce.length > 0) notify(() -> l.readApplied(nonce, answer));
    return answer;
  }

  private static void notify(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.debug("ledger listener failed: {}", e.toString());
    }
  }

  private byte[] applyMemberCommand(byte[] data, int off, int len, long index) {
    SignedCommand sc;
    LedgerCommand c;
    byte[] envelope;
    try {
      sc = SignedCommand.decode(data, off, len);
      c = LedgerCommand.parse(sc.canonical());
      envelope = sc.encode();
    } catch (IllegalArgumentException e) {
      return Results.rejected(RejectReason.MALFORMED, "command does not parse");
    }
    // the verdict (parse, epoch, member, signature) is a pure function of the entry's bytes,
    // usually computed
    // ahead on the verification pool; the apply thread only reads it
    switch (verdicts.take(java.util.Arrays.copyOfRange(data, off, off + len))) {
      case VALID -> {}
      case MALFORMED -> {
        return Results.rejected(RejectReason.MALFORMED, "command does not parse");
      }
      case UNKNOWN_EPOCH -> {
        return Results.rejected(RejectReason.UNKNOWN_EPOCH, "epoch " + c.epoch());
      }
      case UNKNOWN_MEMBER -> {
        return Results.rejected(RejectReason.UNKNOWN_MEMBER, "member " + c.memberId());
      }
      case BAD_SIGNATURE -> {
        return Results.rejected(
            RejectReason.BAD_SIGNATURE, "signature does not verify for member " + c.memberId());
      }
      default -> throw new IllegalStateException();
    }
    byte[] answer = applyVerified(c, envelope, index);
    Listener l = listener;
    if (l != null) {
      byte[] rid = c.requestId();
      notify(() -> l.commandApplied(c.memberId(), rid, answer));
    }
    return answer.clone();
  }

  private byte[] applyVerified(LedgerCommand c, byte[] envelope, long index) {
    RowKey key = new RowKey(c.user(), c.memberId());
    Row row = rows.get(key);
    boolean fresh = row == null;
    if (fresh) row = new Row();
    byte[] rid = c.requestId();
    byte[] cached = row.recent.get(new Id(rid));
    if (cached != null) return cached.clone();
    if (c.sequence() != row.sequence + 1)
      return Results.rejected(RejectReason.STALE_SEQUENCE, "row sequence is " + row.sequence);

    boolean allowed = true, destroyed = false, reset = false;
    long oldVersion = row.version;
    switch (c.type()) {
      case REGISTER -> {
        if (c.version() > LedgerCommand.MAX_RECORD_VERSION)
          return Results.rejected(RejectReason.VERSION_TOO_LARGE, "version above 2^53-1");
        if (c.version() <= row.version)
          return Results.rejected(RejectReason.VERSION_NOT_NEWER, "row version is " + row.version);
        row.state = RowState.REGISTERED;
        row.version = c.version();
        row.digest = c.recordDigest();
        row.guessLimit = c.guessLimit();
        row.registerCommand = envelope;
        regs.computeIfAbsent(new RegKey(c.user(), c.version()), k -> new Registration());
      }
      case ATTEMPT -> {
        if (row.state != RowState.REGISTERED) {
          allowed = false;
        } else {
          if (c.version() != row.version || !Arrays.equals(c.recordDigest(), row.digest))
            return Results.rejected(RejectReason.VERSION_MISMATCH, "row version is " + row.version);
          Registration reg = regs.get(new RegKey(c.user(), row.version));
          if (reg == null) return Results.rejected(RejectReason.NOT_REGISTERED, "no registration");
          if (c.generation() != reg.generation)
            return Results.rejected(
                RejectReason.STALE_GENERATION, "generation is " + reg.generation);
          Id aid = new Id(c.attemptId());
          Counted counted = reg.counted.get(aid);
          if (counted == null && reg.counted.size() < row.guessLimit) {
            counted = new Counted(envelope);
            reg.counted.put(aid, counted);
          }
          if (counted == null) {
            // the fleet's count is full and this is a new guess: refused before any evaluation.
            // The row keeps its record so that the guesses already counted can still be
            // evaluated by this member (otherwise a storm of new guesses would waste them).
            allowed = false;
          } else {
            counted.evaluators.add(c.memberId());
            if (reg.counted.size() >= row.guessLimit && evaluatedAll(reg, c.memberId())) {
              // this member has now been granted every counted guess: nothing is left for its
              // share to answer, so it is destroyed (the member evaluates this last one from
              // the last copy of its record).
              row.state = RowState.NO_GUESSES;
              row.digest = new byte[0];
              destroyed = true;
            }
          }
        }
      }
      case SUCCEED -> {
        if (row.state != RowState.REGISTERED)
          return Results.rejected(RejectReason.NOT_REGISTERED, "row is " + row.state);
        if (c.version() != row.version || !Arrays.equals(c.recordDigest(), row.digest))
          return Results.rejected(RejectReason.VERSION_MISMATCH, "row version is " + row.version);
        Registration reg = regs.get(new RegKey(c.user(), row.version));
        Counted counted =
            reg == null || c.generation() != reg.generation
                ? null
                : reg.counted.get(new Id(c.attemptId()));
        if (counted == null)
          return Results.rejected(
              RejectReason.NOT_COUNTED, "attempt not counted in the current generation");
        counted.succeeders.putIfAbsent(c.memberId(), envelope);
        if (counted.succeeders.size() >= verifier.threshold(c.epoch())) {
          reg.generation++;
          reg.resetProof = new TreeMap<>(counted.succeeders);
          reg.counted.clear();
          reset = true;
        }
      }
      case DELETE -> {
        destroyed = row.state == RowState.REGISTERED;
        row.state = RowState.DELETED;
        row.digest = new byte[0];
      }
    }
    row.sequence = c.sequence();
    row.lastCommand = envelope;
    if (fresh) rows.put(key, row);
    if (c.type() == CommandType.REGISTER || c.type() == CommandType.DELETE)
      dropUnreferenced(c.user(), oldVersion);
    byte[] answer =
        Results.ok(
            row.view(c.user(), c.memberId(), regs.get(new RegKey(c.user(), row.version))),
            allowed,
            destroyed,
            reset,
            index);
    row.remember(rid, answer);
    return answer;
  }

  /**
   * Whether {@code member} was granted every id counted in the registration's current generation.
   */
  private static boolean evaluatedAll(Registration reg, int member) {
    for (Counted c : reg.counted.values()) if (!c.evaluators.contains(member)) return false;
    return true;
  }

  /**
   * Drops registration {@code (user, version)} when no REGISTERED or NO_GUESSES row of the user is
   * at that version.
   */
  private void dropUnreferenced(String user, long version) {
    if (version < 1) return;
    RegKey k = new RegKey(user, version);
    if (!regs.containsKey(k)) return;
    for (Map.Entry<RowKey, Row> e :
        rows.subMap(new RowKey(user, 0), true, new RowKey(user, 256), false).entrySet())
      if (e.getValue().refersTo(version)) return;
    regs.remove(k);
  }

  private RowView view(String user, int member) {
    Row row = rows.get(new RowKey(user, member));
    return row == null
        ? RowView.notRegistered(user, member)
        : row.view(user, member, regs.get(new RegKey(user, row.version)));
  }

  /**
   * The row as of the last applied entry (a local, possibly stale copy: for diagnostics and tests).
   */
  public synchronized RowView localRow(String user, int member) {
    return view(user, member);
  }

  /**
   * Whether attempt {@code attemptId} is counted on registration {@code (user, version)} in its
   * current generation, as of the last applied entry (local: call after a read through the log to
   * see at least what that read saw). False when the registration is absent or the id is not in its
   * counted set.
   */
  public synchronized boolean countedLocally(String user, long version, byte[] attemptId) {
    Registration reg = regs.get(new RegKey(user, version));
    return reg != null && reg.counted.containsKey(new Id(attemptId.clone()));
  }

  /**
   * Local copies of member {@code member}'s rows that are in one of {@code states} (possibly stale;
   * for housekeeping).
   */
  public synchronized List<RowView> rowsOf(int member, Set<RowState> states) {
    List<RowView> out = new ArrayList<>();
    for (Map.Entry<RowKey, Row> e : rows.entrySet())
      if (e.getKey().member == member && states.contains(e.getValue().state))
        out.add(
            e.getValue()
                .view(
                    e.getKey().user,
                    member,
                    regs.get(new RegKey(e.getKey().user, e.getValue().version))));
    return out;
  }

  /** Number of entries applied since this instance was created (including replays at start-up). */
  public synchronized long appliedCount() {
    return applied;
  }

  /** Number of rows. */
  public synchronized int rowCount() {
    return rows.size();
  }

  /** Number of registrations held. */
  public synchronized int registrationCount() {
    return regs.size();
  }

  /** SHA-256 of the serialised state: equal on replicas that applied the same log prefix. */
  public synchronized byte[] stateDigest() {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bos);
      writeContentTo(out);
      out.flush();
      return MessageDigest.getInstance("SHA-256").digest(bos.toByteArray());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void writeContentTo(DataOutput out) throws IOException {
    LedgerSnapshot.write(out, rows, regs);
  }

  /**
   * Loads a snapshot: verifies every signature and rule, cross-checks it against this replica's
   * state and only then replaces the state.
   *
   * @throws IOException (state unchanged) if the snapshot is malformed, unverifiable or would lower
   *     a row
   */
  @Override
  public synchronized void readContentFrom(DataInput in) throws IOException {
    LedgerSnapshot s = LedgerSnapshot.read(in, verifier);
    String contradiction = s.contradicts(rows, regs);
    if (contradiction != null) throw new IOException("ledger snapshot refused: " + contradiction);
    rows.clear();
    rows.putAll(s.rows);
    regs.clear();
    regs.putAll(s.regs);
  }

  /**
   * Checks a snapshot without installing it.
   *
   * @return null if it verifies and contradicts nothing this replica holds, else why it must be
   *     refused
   */
  public synchronized String refusalOf(DataInput in) {
    try {
      return LedgerSnapshot.read(in, verifier).contradicts(rows, regs);
    } catch (IOException | RuntimeException e) {
      return "unverifiable snapshot: " + e.getMessage();
    }
  }

  // ------------------------------------------------------------------ state

  record RowKey(String user, int member) implements Comparable<RowKey> {
    @Override
    public int compareTo(RowKey o) {
      int c = user.compareTo(o.user);
      return c != 0 ? c : Integer.compare(member, o.member);
    }
  }

  record RegKey(String user, long version) implements Comparable<RegKey> {
    @Override
    public int compareTo(RegKey o) {
      int c = user.compareTo(o.user);
      return c != 0 ? c : Long.compare(version, o.version);
    }
  }

  /** A byte string with value equality and unsigned lexicographic order. */
  record Id(byte[] id) implements Comparable<Id> {
    @Override
    public boolean equals(Object o) {
      return o instanceof Id r && Arrays.equals(r.id, id);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(id);
    }

    @Override
    public int compareTo(Id o) {
      return Arrays.compareUnsigned(id, o.id);
    }
  }

  /**
   * One counted attempt id: the ATTEMPT that counted it and the SUCCEEDs applied for it, by member.
   */
  static final class Counted {
    final byte[] attempt;

    /**
     * The members whose ATTEMPT for this id was granted (each may evaluate it). Liveness data only:
     * it decides when a member's share is destroyed, never whether a guess is granted, so snapshots
     * carry the member ids without their signed commands (an inflated set destroys a share early, a
     * deflated one keeps an unusable share longer; neither buys a guess).
     */
    final java.util.TreeSet<Integer> evaluators = new java.util.TreeSet<>();

    final TreeMap<Integer, byte[]> succeeders = new TreeMap<>();

    Counted(byte[] attempt) {
      this.attempt = attempt;
    }
  }

  /** The fleet-wide counters of one registration {@code (user, version)}. */
  static final class Registration {
    long generation = 1;
    final TreeMap<Id, Counted> counted = new TreeMap<>();

    /**
     * The SUCCEEDs (of generation - 1) that advanced to the current generation; empty at generation
     * 1.
     */
    TreeMap<Integer, byte[]> resetProof = new TreeMap<>();
  }

  static final class Row {
    RowState state = RowState.NOT_REGISTERED;
    long version;
    byte[] digest = new byte[0];
    int guessLimit;
    long sequence;

    /** The owner's latest applied signed command (sequence == {@link #sequence}). */
    byte[] lastCommand;

    /** The owner's signed REGISTER of {@link #version}, or null if never registered. */
    byte[] registerCommand;

    final LinkedHashMap<Id, byte[]> recent = new LinkedHashMap<>();

    boolean refersTo(long v) {
      return version == v && (state == RowState.REGISTERED || state == RowState.NO_GUESSES);
    }

    RowView view(String user, int member, Registration reg) {
      boolean inReg = reg != null && refersTo(version);
      return new RowView(
          user,
          member,
          state,
          version,
          digest,
          guessLimit,
          inReg ? reg.generation : 0,
          inReg ? reg.counted.size() : 0,
          sequence);
    }

    void remember(byte[] rid, byte[] answer) {
      recent.put(new Id(rid.clone()), answer.clone());
      Iterator<Id> it = recent.keySet().iterator();
      while (recent.size() > RECENT) {
        it.next();
        it.remove();
      }
    }
  }

  static DataInputStream input(byte[] b) {
    return new DataInputStream(new java.io.ByteArrayInputStream(b));
  }
}
