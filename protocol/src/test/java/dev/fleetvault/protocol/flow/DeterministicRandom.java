package dev.fleetvault.protocol.flow;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * INSECURE, FOR TESTS ONLY: a SecureRandom whose output is SHA-256(seed || counter) blocks, so test
 * runs are repeatable.
 */
final class DeterministicRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;
  private final byte[] seed;
  private long counter;
  private byte[] block = new byte[0];
  private int pos;

  DeterministicRandom(String seed) {
    super(
        new java.security.SecureRandomSpi() {
          private static final long serialVersionUID = 1L;

          @Override
          protected void engineSetSeed(byte[] s) {}

          @Override
          protected void engineNextBytes(byte[] bytes) {
            throw new UnsupportedOperationException();
          }

          @Override
          protected byte[] engineGenerateSeed(int n) {
            throw new UnsupportedOperationException();
          }
        },
        null);
    this.seed = seed.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void nextBytes(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (pos == block.length) {
        refill();
      }
      bytes[i] = block[pos++];
    }
  }

  @Override
  public void setSeed(long s) {
    // ignored: the output depends only on the constructor seed
  }

  private void refill() {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(seed);
      d.update(ByteBuffer.allocate(8).putLong(counter++).array());
      block = d.digest();
      pos = 0;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
