package dev.fleetvault.gateway.auth;

import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.sig.EcdsaP256;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One app's ES256 token keys, parsed once (PROTOCOL.md section 15), and the signature check of a
 * token against them.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Every key is a strictly decoded P-256 SubjectPublicKeyInfo ({@link Ecdh#decodeSpki}); a PEM
 *       that is not one fails construction with an {@link IllegalArgumentException} naming the app,
 *       never later.
 *   <li>{@link #verify} is {@link EcdsaP256#verifyRaw} under each key in turn (a {@code kid} is
 *       ignored): true iff the 64-byte {@code R || S} verifies under at least one of them. It is
 *       total (never throws on any bytes) and depends only on its inputs and the keys.
 *   <li>The only state kept between calls is Bouncy Castle's table of precomputed multiples of each
 *       fixed public key, attached to that key's point (one per configured key, so bounded by the
 *       configuration). It holds public values only and never changes a verdict: a bad signature is
 *       refused however many good ones came before (test {@code
 *       AppTokenKeysTest.verify_badSignatureAfterManyGood_refused}).
 *   <li>Immutable and thread-safe.
 * </ul>
 */
public final class AppTokenKeys {
  private final List<GroupElement> keys;

  private AppTokenKeys(List<GroupElement> keys) {
    this.keys = List.copyOf(keys);
  }

  /**
   * Parses an app's keys from PEM text ({@code -----BEGIN PUBLIC KEY-----}, a P-256
   * SubjectPublicKeyInfo).
   *
   * @throws IllegalArgumentException if any PEM is not a P-256 public key, or there is none
   */
  public static AppTokenKeys fromPems(String appId, List<String> pems) {
    Objects.requireNonNull(appId, "appId");
    List<GroupElement> keys = new ArrayList<>();
    for (String pem : pems) {
      try {
        keys.add(Ecdh.decodeSpki(pemBody(pem)));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "app '" + appId + "': token key is not a P-256 public key PEM: " + e.getMessage(), e);
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("app '" + appId + "' has no token key");
    }
    return new AppTokenKeys(keys);
  }

  /**
   * True iff {@code signature} (the JWS's third part, base64url-decoded) is a valid ES256 signature
   * of {@code signingInput} ({@code header "." claims}, ASCII) under one of the app's keys.
   */
  public boolean verify(byte[] signingInput, byte[] signature) {
    for (GroupElement k : keys) {
      if (EcdsaP256.verifyRaw(k, signingInput, signature)) {
        return true;
      }
    }
    return false;
  }

  /** Number of keys (tests). */
  int size() {
    return keys.size();
  }

  private static byte[] pemBody(String pem) {
    String begin = "-----BEGIN PUBLIC KEY-----";
    String end = "-----END PUBLIC KEY-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf(end);
    if (b < 0 || e < b) {
      throw new IllegalArgumentException("no PUBLIC KEY block");
    }
    return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e).strip());
  }
}
