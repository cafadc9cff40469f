package dev.fleetvault.driver.kmip.ttlv;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict TTLV decoder.
 *
 * <p>Guarantees: the input is consumed exactly (no trailing bytes); every length is checked against
 * the bytes that remain before anything is allocated; fixed-size types must carry their exact
 * length; padding must be zero; Booleans must be 0 or 1; Big Integers must be a non-zero multiple
 * of 8 bytes; text must be well-formed UTF-8; tags must start with 0x42 or 0x54; {@link TtlvLimits}
 * bound message size, nesting depth and item count. Every violation is a {@link TtlvException}
 * naming the offset and tag, never a hang, an out-of-memory error or a runtime exception.
 */
public final class TtlvDecoder {
  private final byte[] buf;
  private final TtlvLimits limits;
  private int items;

  private TtlvDecoder(byte[] buf, TtlvLimits limits) {
    this.buf = buf;
    this.limits = limits;
  }

  /** Decodes exactly one item that must span all of {@code encoded}. */
  public static Ttlv decode(byte[] encoded, TtlvLimits limits) throws TtlvException {
    if (encoded.length > limits.maxMessageBytes()) {
      throw new TtlvException(
          "TTLV message of "
              + encoded.length
              + " bytes exceeds the limit of "
              + limits.maxMessageBytes());
    }
    TtlvDecoder d = new TtlvDecoder(encoded, limits);
    int[] pos = {0};
    Ttlv item = d.item(pos, encoded.length, 1);
    if (pos[0] != encoded.length) {
      throw new TtlvException("trailing bytes after TTLV item at offset " + pos[0]);
    }
    return item;
  }

  /**
   * Reads one length-prefixed TTLV message (a Structure) from a stream and decodes it. The declared
   * length is checked against {@link TtlvLimits#maxMessageBytes()} before the body is read.
   *
   * @throws EOFException when the stream ends inside the message
   */
  public static Ttlv readMessage(InputStream in, TtlvLimits limits)
      throws IOException, TtlvException {
    byte[] header = readFully(in, 8);
    int tag = ((header[0] & 0xFF) << 16) | ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
    checkTagByte(header[0], 0);
    if (header[3] != ItemType.STRUCTURE.code()) {
      throw new TtlvException(
          "message "
              + Tag.name(tag)
              + " is not a structure (type 0x"
              + Integer.toHexString(header[3] & 0xFF)
              + ")");
    }
    long len = readUInt32(header, 4);
    if (len + 8 > limits.maxMessageBytes()) {
      throw new TtlvException(
          "message "
              + Tag.name(tag)
              + " declares "
              + len
              + " bytes, limit is "
              + limits.maxMessageBytes());
    }
    if (len % 8 != 0) {
      throw new TtlvException(
          "message " + Tag.name(tag) + " length " + len + " is not a multiple of 8");
    }
    byte[] all = new byte[(int) len + 8];
    System.arraycopy(header, 0, all, 0, 8);
    byte[] body = readFully(in, (int) len);
    System.arraycopy(body, 0, all, 8, body.length);
    return decode(all, limits);
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException(
          "stream ended after " + b.length + " of " + n + " bytes of a TTLV message");
    }
    return b;
  }

  private static void checkTagByte(byte first, int offset) throws TtlvException {
    if (first != 0x42 && first != 0x54) {
      throw new TtlvException(
          "invalid tag prefix 0x" + Integer.toHexString(first & 0xFF) + " at offset " + offset);
    }
  }

  private static long readUInt32(byte[] b, int p) {
    return ((long) (b[p] & 0xFF) << 24)
        | ((b[p + 1] & 0xFF) << 16)
        | ((b[p + 2] & 0xFF) << 8)
        | (b[p + 3] & 0xFF);
  }

  private static long readInt64(byte[] b, int p) {
    return (readUInt32(b, p) << 32) | readUInt32(b, p + 4);
  }

  private Ttlv item(int[] posRef, int end, int depth) throws TtlvException {
    int pos = posRef[0];
    if (depth > limits.maxDepth()) {
      throw new TtlvException(
          "TTLV nesting deeper than " + limits.maxDepth() + " at offset " + pos);
    }
    if (++items > limits.maxItems()) {
      throw new TtlvException("TTLV message has more than " + limits.maxItems() + " items");
    }
    if (end - pos < 8) {
      throw new TtlvException("truncated TTLV header at offset " + pos);
    }
    checkTagByte(buf[pos], pos);
    int tag = ((buf[pos] & 0xFF) << 16) | ((buf[pos + 1] & 0xFF) << 8) | (buf[pos + 2] & 0xFF);
    ItemType type = ItemType.ofCode(buf[pos + 3] & 0xFF);
    if (type == null) {
      throw new TtlvException(
          "unknown item type 0x"
              + Integer.toHexString(buf[pos + 3] & 0xFF)
              + " for "
              + Tag.name(tag)
              + " at offset "
              + pos);
    }
    long len = readUInt32(buf, pos + 4);
    int valuePos = pos + 8;
    long paddedLen = TtlvEncoder.padded(len);
    if (paddedLen > end - valuePos) {
      throw new TtlvException(
          Tag.name(tag)
              + " at offset "
              + pos
              + " declares "
              + len
              + " bytes but only "
              + (end - valuePos)
              + " remain");
    }
    int n = (int) len;
    int next = valuePos + (int) paddedLen;
    if (type.fixedLength() >= 0 && n != type.fixedLength()) {
      throw new TtlvException(
          Tag.name(tag)
              + " "
              + type
              + " at offset "
              + pos
              + " has length "
              + n
              + ", expected "
              + type.fixedLength());
    }
    for (int i = valuePos + n; i < next; i++) {
      if (buf[i] != 0) {
        throw new TtlvException("non-zero padding after " + Tag.name(tag) + " at offset " + i);
      }
    }
    Ttlv result;
    switch (type) {
      case STRUCTURE:
        {
          if (n % 8 != 0) {
            throw new TtlvException(
                "structure "
                    + Tag.name(tag)
                    + " at offset "
                    + pos
                    + " length "
                    + n
                    + " is not a multiple of 8");
          }
          List<Ttlv> kids = new ArrayList<>();
          int[] p = {valuePos};
          int structEnd = valuePos + n;
          while (p[0] < structEnd) {
            kids.add(item(p, structEnd, depth + 1));
          }
          result = Ttlv.structure(tag, kids);
          break;
        }
      case INTEGER:
        result = Ttlv.integer(tag, (int) readUInt32(buf, valuePos));
        break;
      case ENUMERATION:
        result = Ttlv.enumeration(tag, (int) readUInt32(buf, valuePos));
        break;
      case INTERVAL:
        result = Ttlv.interval(tag, readUInt32(buf, valuePos));
        break;
      case LONG_INTEGER:
        result = Ttlv.longInteger(tag, readInt64(buf, valuePos));
        break;
      case DATE_TIME:
        result = Ttlv.dateTime(tag, readInt64(buf, valuePos));
        break;
      case DATE_TIME_EXTENDED:
        result = Ttlv.dateTimeExtended(tag, readInt64(buf, valuePos));
        break;
      case BOOLEAN:
        {
          long v = readInt64(buf, valuePos);
          if (v != 0 && v != 1) {
            throw new TtlvException(
                "boolean " + Tag.name(tag) + " at offset " + pos + " is neither 0 nor 1");
          }
          result = Ttlv.bool(tag, v == 1);
          break;
        }
      case BIG_INTEGER:
        {
          if (n == 0 || n % 8 != 0) {
            throw new TtlvException(
                "big integer "
                    + Tag.name(tag)
                    + " at offset "
                    + pos
                    + " has length "
                    + n
                    + ", expected a non-zero multiple of 8");
          }
          // KMIP 1.x/2.0 (Big Integer): padded "with the minimal number of leading sign-extended
          // bytes"
          // to a multiple of 8, so a first 8-byte block that only repeats the sign is not an
          // encoding
          if (n > 8 && redundantSignBlock(buf, valuePos)) {
            throw new TtlvException(
                "big integer "
                    + Tag.name(tag)
                    + " at offset "
                    + pos
                    + " has length "
                    + n
                    + ": its first 8 bytes are sign padding only (not the minimal encoding)");
          }
          byte[] v = new byte[n];
          System.arraycopy(buf, valuePos, v, 0, n);
          result = Ttlv.bigInteger(tag, new BigInteger(v));
          break;
        }
      case TEXT_STRING:
        {
          try {
            String s =
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, valuePos, n))
                    .toString();
            result = Ttlv.text(tag, s);
          } catch (CharacterCodingException e) {
            throw new TtlvException(
                "text " + Tag.name(tag) + " at offset " + pos + " is not valid UTF-8");
          }
          break;
        }
      case BYTE_STRING:
        {
          byte[] v = new byte[n];
          System.arraycopy(buf, valuePos, v, 0, n);
          result = Ttlv.bytes(tag, v);
          java.util.Arrays.fill(v, (byte) 0);
          break;
        }
      default:
        throw new TtlvException("unsupported type " + type);
    }
    posRef[0] = next;
    return result;
  }

  /**
   * Whether the 8 bytes at {@code at} are all 0x00 (or all 0xFF) and the next byte's top bit
   * agrees: the value then fits in 8 bytes fewer, which the KMIP spec's minimal sign-extension
   * padding does not allow.
   */
  private static boolean redundantSignBlock(byte[] buf, int at) {
    byte sign = buf[at];
    if (sign != 0 && sign != (byte) 0xFF) {
      return false;
    }
    for (int i = 1; i < 8; i++) {
      if (buf[at + i] != sign) {
        return false;
      }
    }
    return (buf[at + 8] & 0x80) == (sign & 0x80);
  }
}
