package dev.fleetvault.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Blocks of free loopback ports inside the client/CLI range 27000-28999 (shared with the gateway's
 * tests, so blocks are picked at random and checked free rather than fixed).
 */
final class Ports {
  /** Ports a {@link TestFleet} uses: base+1 .. base+33. */
  static final int FLEET_BLOCK = 40;

  private Ports() {}

  static int freeBlock(int count) {
    for (int tries = 0; tries < 200; tries++) {
      int base = 27000 + ThreadLocalRandom.current().nextInt((2000 - count) / 8) * 8;
      if (allFree(base, count)) {
        return base;
      }
    }
    throw new IllegalStateException("no free block of " + count + " ports in 27000-28999");
  }

  private static boolean allFree(int base, int count) {
    for (int p = base; p < base + count; p++) {
      try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
