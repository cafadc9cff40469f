package dev.fleetvault.protocol.testing;

/** Hex helpers for tests (strips whitespace and an optional 0x prefix). */
public final class Hex {
  private Hex() {}

  public static byte[] decode(String s) {
    String t = s.replaceAll("\\s", "");
    if (t.startsWith("0x")) {
      t = t.substring(2);
    }
    return org.bouncycastle.util.encoders.Hex.decode(t);
  }

  public static String encode(byte[] b) {
    return org.bouncycastle.util.encoders.Hex.toHexString(b);
  }
}
