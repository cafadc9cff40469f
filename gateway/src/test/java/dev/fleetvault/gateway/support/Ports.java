package dev.fleetvault.gateway.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Picks blocks of free loopback ports inside the gateway's range 27000-28999. */
public final class Ports {
  private Ports() {}

  /** A base port such that base..base+count-1 were all free a moment ago. */
  public static int freeBlock(int count) {
    for (int tries = 0; tries < 200; tries++) {
      int base = 27000 + ThreadLocalRandom.current().nextInt((2000 - count) / 16) * 16;
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
