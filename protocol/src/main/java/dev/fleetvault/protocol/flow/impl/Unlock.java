package dev.fleetvault.protocol.flow.impl;

import dev.fleetvault.protocol.aead.AesGcm;
import dev.fleetvault.protocol.flow.parts.Derive;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.shamir.Shamir;
import dev.fleetvault.protocol.shamir.Share;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;

/**
 * Phase 2 on the client: rebuild the data key D from t unmasked shares and decrypt the secret
 * (PROTOCOL.md "Recovery", phase 2). Shares are not individually verifiable, so subsets of t are
 * tried in a fixed order until one opens the AES-256-GCM ciphertext. Not API.
 */
public final class Unlock {
  /**
   * At most this many t-subsets are tried (C(31,16) would be far too many; honest fleets need 1).
   */
  public static final int MAX_SUBSETS = 256;

  private Unlock() {}

  /**
   * Tries t-subsets of {@code shares} (index -> D_i), lowest indexes first, on each candidate
   * ciphertext; returns the secret if one subset opens one ciphertext.
   */
  public static Optional<SecretBytes> open(
      Map<Integer, Scalar> shares, int t, List<byte[]> ciphertexts, byte[] userId, long version) {
    List<Integer> idx = new ArrayList<>(shares.keySet());
    idx.sort(null);
    if (idx.size() < t) {
      return Optional.empty();
    }
    int[] comb = new int[t];
    for (int j = 0; j < t; j++) {
      comb[j] = j;
    }
    byte[] aad = Derive.secretAad(userId, version);
    int tried = 0;
    while (tried++ < MAX_SUBSETS) {
      List<Share> subset = new ArrayList<>();
      for (int j : comb) {
        subset.add(new Share(idx.get(j), shares.get(idx.get(j))));
      }
      Scalar d = Shamir.combine(subset);
      try (SecretBytes key = SecretBytes.wrap(d.encode())) {
        for (byte[] c : ciphertexts) {
          Optional<SecretBytes> s = tryDecrypt(key, c, aad);
          if (s.isPresent()) {
            return s;
          }
        }
      }
      if (!next(comb, idx.size())) {
        break;
      }
    }
    return Optional.empty();
  }

  private static Optional<SecretBytes> tryDecrypt(SecretBytes key, byte[] c, byte[] aad) {
    if (c.length < AesGcm.NONCE_LENGTH + AesGcm.TAG_LENGTH) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          SecretBytes.wrap(
              AesGcm.decrypt(
                  key,
                  Arrays.copyOf(c, AesGcm.NONCE_LENGTH),
                  aad,
                  Arrays.copyOfRange(c, AesGcm.NONCE_LENGTH, c.length))));
    } catch (AEADBadTagException e) {
      return Optional.empty();
    }
  }

  /** Next t-combination of 0..n-1 in lexicographic order; false after the last. */
  private static boolean next(int[] c, int n) {
    int t = c.length;
    int i = t - 1;
    while (i >= 0 && c[i] == n - t + i) {
      i--;
    }
    if (i < 0) {
      return false;
    }
    c[i]++;
    for (int j = i + 1; j < t; j++) {
      c[j] = c[j - 1] + 1;
    }
    return true;
  }
}
