package dev.fleetvault.driver.kmip.ttlv;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes {@link Ttlv} items into KMIP TTLV bytes.
 *
 * <p>Guarantees: every item starts on an 8-byte boundary; padding bytes are zero; Big Integers are
 * two's complement, sign-extended to a multiple of 8 bytes; the output decodes back to an equal
 * item with {@link TtlvDecoder}.
 */
public final class TtlvEncoder {
  private TtlvEncoder() {}

  /** Encodes one item (usually a whole request message). */
  public static byte[] encode(Ttlv item) {
    byte[] out = new byte[Math.toIntExact(encodedSize(item))];
    int end = write(item, out, 0);
    if (end != out.length) {
      throw new IllegalStateException("TTLV size mismatch");
    }
    return out;
  }

  /** The full encoded size of {@code item}: header, value and padding. */
  public static long encodedSize(Ttlv item) {
    return 8 + padded(valueLength(item));
  }

  static long padded(long n) {
    return (n + 7) & ~7L;
  }

  private static long valueLength(Ttlv item) {
    switch (item.type()) {
      case STRUCTURE:
        {
          long sum = 0;
          for (Ttlv c : kids(item)) {
            sum += encodedSize(c);
          }
          return sum;
        }
      case BIG_INTEGER:
        return bigIntegerBytes((BigInteger) item.rawObject()).length;
      case TEXT_STRING:
        return item.textBytes().length;
      case BYTE_STRING:
        return ((byte[]) item.rawObject()).length;
      default:
        return item.type().fixedLength();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Ttlv> kids(Ttlv item) {
    return (List<Ttlv>) item.rawObject();
  }

  /** Two's complement big-endian bytes, sign-extended to a non-zero multiple of 8. */
  static byte[] bigIntegerBytes(BigInteger v) {
    byte[] minimal = v.toByteArray();
    int len = (int) padded(minimal.length);
    byte[] out = new byte[len];
    Arrays.fill(out, 0, len - minimal.length, v.signum() < 0 ? (byte) 0xFF : 0);
    System.arraycopy(minimal, 0, out, len - minimal.length, minimal.length);
    return out;
  }

  private static int write(Ttlv item, byte[] out, int pos) {
    int tag = item.tag();
    out[pos] = (byte) (tag >>> 16);
    out[pos + 1] = (byte) (tag >>> 8);
    out[pos + 2] = (byte) tag;
    out[pos + 3] = (byte) item.type().code();
    int valuePos = pos + 8;
    int len;
    switch (item.type()) {
      case STRUCTURE:
        {
          int p = valuePos;
          for (Ttlv c : kids(item)) {
            p = write(c, out, p);
          }
          len = p - valuePos;
          break;
        }
      case INTEGER:
      case ENUMERATION:
      case INTERVAL:
        putInt(out, valuePos, (int) item.rawNumber());
        len = 4;
        break;
      case LONG_INTEGER:
      case BOOLEAN:
      case DATE_TIME:
      case DATE_TIME_EXTENDED:
        putLong(out, valuePos, item.rawNumber());
        len = 8;
        break;
      case BIG_INTEGER:
        {
          byte[] b = bigIntegerBytes((BigInteger) item.rawObject());
          System.arraycopy(b, 0, out, valuePos, b.length);
          len = b.length;
          break;
        }
      case TEXT_STRING:
        {
          byte[] b = item.textBytes();
          System.arraycopy(b, 0, out, valuePos, b.length);
          len = b.length;
          break;
        }
      case BYTE_STRING:
        {
          byte[] b = (byte[]) item.rawObject();
          System.arraycopy(b, 0, out, valuePos, b.length);
          len = b.length;
          break;
        }
      default:
        throw new IllegalStateException("unknown type " + item.type());
    }
    putInt(out, pos + 4, len);
    return valuePos + (int) padded(len);
  }

  private static void putInt(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
  }

  private static void putLong(byte[] b, int p, long v) {
    putInt(b, p, (int) (v >>> 32));
    putInt(b, p + 4, (int) v);
  }
}
