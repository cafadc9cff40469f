package dev.fleetvault.driver.pkcs11.impl;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts the open drivers per token in this JVM. PKCS#11 login state belongs to the application
 * (all sessions of one token), so one driver logging out would log out every other driver on the
 * same token; a driver logs out (and lets SunPKCS11 close its sessions) only when it is the last.
 */
final class TokenLogins {

  private static final Map<String, Integer> OPEN = new HashMap<>();

  private TokenLogins() {}

  /** Records one more open driver on {@code token}. */
  static synchronized void acquire(String token) {
    OPEN.merge(token, 1, Integer::sum);
  }

  /** Records a driver closing; returns true when it was the last on {@code token}. */
  static synchronized boolean release(String token) {
    Integer n = OPEN.get(token);
    if (n == null || n <= 1) {
      OPEN.remove(token);
      return true;
    }
    OPEN.put(token, n - 1);
    return false;
  }
}
