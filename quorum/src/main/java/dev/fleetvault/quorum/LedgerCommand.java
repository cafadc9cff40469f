package dev.fleetvault.quorum;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One member command on one row {@code (user, memberId)}, before signing (format version 2).
 *
 * <p>Guarantees: immutable; {@link #canonicalBytes()} is a unique, strict, versioned encoding
 * (domain tag {@code "FVQCMD2\0"}; version-1 commands do not parse) and {@link #parse(byte[])}
 * accepts exactly the bytes it produces (no trailing bytes, exact lengths, valid UTF-8), so a
 * signature over the canonical bytes binds every field. {@code ATTEMPT} and {@code SUCCEED} bind
 * the record version, the record digest, the registration's generation and the fleet-wide attempt
 * id, so a signed attempt can only ever count against the one registration and generation it names.
 * Limits: user id 1..256 UTF-8 bytes, request id 16 bytes, attempt id and record digest 32 bytes,
 * guess limit 1..1000, sequence {@code >= 1}, version {@code 1..}{@link #MAX_RECORD_VERSION} for
 * {@code REGISTER} (and {@code >= 1} for attempt and succeed), generation {@code >= 1}.
 */
public final class LedgerCommand {
  /** Domain-separation tag at the start of every canonical command. */
  public static final byte[] DOMAIN_TAG = "FVQCMD2\0".getBytes(StandardCharsets.US_ASCII);

  /** Length of request ids. */
  public static final int REQUEST_ID_LEN = 16;

  /** Length of attempt ids and record digests. */
  public static final int ID32_LEN = 32;

  /** Maximum user id length in UTF-8 bytes. */
  public static final int MAX_USER_BYTES = 256;

  /** Maximum guess limit. */
  public static final int MAX_GUESS_LIMIT = 1000;

  /**
   * Largest record version a registration may carry: 2^53 − 1 (exact in every JSON number, never
   * overflows).
   */
  public static final long MAX_RECORD_VERSION = (1L << 53) - 1;

  private final CommandType type;
  private final long epoch;
  private final int memberId;
  private final String user;
  private final long sequence;
  private final byte[] requestId;
  private final long version; // REGISTER, ATTEMPT, SUCCEED
  private final byte[] digest; // REGISTER, ATTEMPT, SUCCEED
  private final int guessLimit; // REGISTER
  private final long generation; // ATTEMPT, SUCCEED
  private final byte[] attemptId; // ATTEMPT, SUCCEED

  private LedgerCommand(
      CommandType type,
      long epoch,
      int memberId,
      String user,
      long sequence,
      byte[] requestId,
      long version,
      byte[] digest,
      int guessLimit,
      long generation,
      byte[] attemptId) {
    this.type = Objects.requireNonNull(type);
    if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0");
    if (memberId < 1 || memberId > 255)
      throw new IllegalArgumentException("memberId must be in 1..255");
    int ulen = Objects.requireNonNull(user, "user").getBytes(StandardCharsets.UTF_8).length;
    if (ulen < 1 || ulen > MAX_USER_BYTES)
      throw new IllegalArgumentException("user id must be 1..256 UTF-8 bytes");
    if (sequence < 1) throw new IllegalArgumentException("sequence must be >= 1");
    if (Objects.requireNonNull(requestId, "requestId").length != REQUEST_ID_LEN)
      throw new IllegalArgumentException("requestId must be 16 bytes");
    if (type != CommandType.DELETE) {
      if (version < 1) throw new IllegalArgumentException("version must be >= 1");
      if (Objects.requireNonNull(digest, "recordDigest").length != ID32_LEN)
        throw new IllegalArgumentException("recordDigest must be 32 bytes");
    }
    if (type == CommandType.REGISTER) {
      if (version > MAX_RECORD_VERSION)
        throw new IllegalArgumentException("version must be <= 2^53-1");
      if (guessLimit < 1 || guessLimit > MAX_GUESS_LIMIT)
        throw new IllegalArgumentException("guessLimit must be in 1..1000");
    }
    if (type == CommandType.ATTEMPT || type == CommandType.SUCCEED) {
      if (generation < 1) throw new IllegalArgumentException("generation must be >= 1");
      if (Objects.requireNonNull(attemptId, "attemptId").length != ID32_LEN)
        throw new IllegalArgumentException("attemptId must be 32 bytes");
    }
    this.epoch = epoch;
    this.memberId = memberId;
    this.user = user;
    this.sequence = sequence;
    this.requestId = requestId.clone();
    this.version = version;
    this.digest = digest == null ? new byte[0] : digest.clone();
    this.guessLimit = guessLimit;
    this.generation = generation;
    this.attemptId = attemptId == null ? new byte[0] : attemptId.clone();
  }

  /**
   * {@code register(user, member, version, recordDigest, guessLimit)}; {@code version <=
   * MAX_RECORD_VERSION}.
   */
  public static LedgerCommand register(
      long epoch,
      int memberId,
      String user,
      long sequence,
      byte[] requestId,
      long version,
      byte[] recordDigest,
      int guessLimit) {
    return new LedgerCommand(
        CommandType.REGISTER,
        epoch,
        memberId,
        user,
        sequence,
        requestId,
        version,
        recordDigest,
        guessLimit,
        0,
        null);
  }

  /** {@code attempt(user, member, version, recordDigest, generation, attemptId)}. */
  public static LedgerCommand attempt(
      long epoch,
      int memberId,
      String user,
      long sequence,
      byte[] requestId,
      long version,
      byte[] recordDigest,
      long generation,
      byte[] attemptId) {
    return new LedgerCommand(
        CommandType.ATTEMPT,
        epoch,
        memberId,
        user,
        sequence,
        requestId,
        version,
        recordDigest,
        0,
        generation,
        attemptId);
  }

  /** {@code succeed(user, member, version, recordDigest, generation, attemptId)}. */
  public static LedgerCommand succeed(
      long epoch,
      int memberId,
      String user,
      long sequence,
      byte[] requestId,
      long version,
      byte[] recordDigest,
      long generation,
      byte[] attemptId) {
    return new LedgerCommand(
        CommandType.SUCCEED,
        epoch,
        memberId,
        user,
        sequence,
        requestId,
        version,
        recordDigest,
        0,
        generation,
        attemptId);
  }

  /** {@code delete(user, member)}. */
  public static LedgerCommand delete(
      long epoch, int memberId, String user, long sequence, byte[] requestId) {
    return new LedgerCommand(
        CommandType.DELETE, epoch, memberId, user, sequence, requestId, 0, null, 0, 0, null);
  }

  public CommandType type() {
    return type;
  }

  public long epoch() {
    return epoch;
  }

  public int memberId() {
    return memberId;
  }

  public String user() {
    return user;
  }

  public long sequence() {
    return sequence;
  }

  public byte[] requestId() {
    return requestId.clone();
  }

  /** Record version (0 for DELETE). */
  public long version() {
    return version;
  }

  /** Record digest (empty for DELETE). */
  public byte[] recordDigest() {
    return digest.clone();
  }

  /** Registration generation (ATTEMPT and SUCCEED only, else 0). */
  public long generation() {
    return generation;
  }

  /** Attempt id (ATTEMPT and SUCCEED only, else empty). */
  public byte[] attemptId() {
    return attemptId.clone();
  }

  /** Guess limit (REGISTER only, else 0). */
  public int guessLimit() {
    return guessLimit;
  }

  /** The exact bytes the member signs. */
  public byte[] canonicalBytes() {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream(160);
      DataOutputStream out = new DataOutputStream(bos);
      out.write(DOMAIN_TAG);
      out.writeByte(type.code());
      out.writeLong(epoch);
      out.writeByte(memberId);
      byte[] u = user.getBytes(StandardCharsets.UTF_8);
      out.writeShort(u.length);
      out.write(u);
      out.writeLong(sequence);
      out.write(requestId);
      switch (type) {
        case REGISTER -> {
          out.writeLong(version);
          out.write(digest);
          out.writeShort(guessLimit);
        }
        case ATTEMPT, SUCCEED -> {
          out.writeLong(version);
          out.write(digest);
          out.writeLong(generation);
          out.write(attemptId);
        }
        case DELETE -> {}
      }
      out.flush();
      return bos.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses canonical bytes strictly.
   *
   * @throws IllegalArgumentException if the bytes are not exactly a canonical command
   */
  public static LedgerCommand parse(byte[] canonical) {
    try {
      ByteBuffer in = ByteBuffer.wrap(canonical);
      byte[] tag = new byte[DOMAIN_TAG.length];
      in.get(tag);
      if (!Arrays.equals(tag, DOMAIN_TAG)) throw new IllegalArgumentException("bad domain tag");
      CommandType type = CommandType.ofCode(in.get() & 0xff);
      if (type == null) throw new IllegalArgumentException("unknown command type");
      long epoch = in.getLong();
      int member = in.get() & 0xff;
      int ulen = in.getShort() & 0xffff;
      if (ulen < 1 || ulen > MAX_USER_BYTES) throw new IllegalArgumentException("bad user length");
      byte[] u = new byte[ulen];
      in.get(u);
      String user =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(u))
              .toString();
      long seq = in.getLong();
      byte[] rid = new byte[REQUEST_ID_LEN];
      in.get(rid);
      LedgerCommand c;
      switch (type) {
        case REGISTER -> {
          long version = in.getLong();
          byte[] digest = new byte[ID32_LEN];
          in.get(digest);
          int limit = in.getShort() & 0xffff;
          c = register(epoch, member, user, seq, rid, version, digest, limit);
        }
        case ATTEMPT, SUCCEED -> {
          long version = in.getLong();
          byte[] digest = new byte[ID32_LEN];
          in.get(digest);
          long generation = in.getLong();
          byte[] aid = new byte[ID32_LEN];
          in.get(aid);
          c =
              type == CommandType.ATTEMPT
                  ? attempt(epoch, member, user, seq, rid, version, digest, generation, aid)
                  : succeed(epoch, member, user, seq, rid, version, digest, generation, aid);
        }
        default -> c = delete(epoch, member, user, seq, rid);
      }
      if (in.hasRemaining()) throw new IllegalArgumentException("trailing bytes");
      if (!Arrays.equals(c.canonicalBytes(), canonical))
        throw new IllegalArgumentException("not canonical");
      return c;
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated command", e);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("user id is not valid UTF-8", e);
    }
  }

  @Override
  public String toString() {
    return "LedgerCommand["
        + type
        + " member="
        + memberId
        + " user="
        + user
        + " seq="
        + sequence
        + " epoch="
        + epoch
        + (type == CommandType.DELETE ? "" : " version=" + version)
        + (generation > 0 ? " generation=" + generation : "")
        + "]";
  }
}
