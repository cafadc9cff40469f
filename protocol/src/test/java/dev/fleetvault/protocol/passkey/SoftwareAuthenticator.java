package dev.fleetvault.protocol.passkey;

import com.google.protobuf.ByteString;
import dev.fleetvault.protocol.flow.PasskeyChallenge;
import dev.fleetvault.protocol.wire.PasskeyAssertion;
import dev.fleetvault.protocol.wire.PasskeyCredential;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * INSECURE, FOR TESTS ONLY: a WebAuthn authenticator in software, built from the JDK alone so that
 * it shares no code with the verifier under test. One ES256 (P-256) credential with a PRF (the CTAP
 * hmac-secret construction WebAuthn's PRF extension maps to: {@code HMAC-SHA256(credential secret,
 * SHA-256("WebAuthn PRF" || 0x00 || salt))}). Assertions: {@code authenticatorData = SHA-256(rpId)
 * || flags || signCount (4 bytes)}, {@code signature = ECDSA-SHA256 (DER) over authenticatorData ||
 * SHA-256(clientDataJSON)}.
 */
public final class SoftwareAuthenticator {
  /** Flag bits of authenticator data. */
  public static final int UP = 0x01;

  public static final int UV = 0x04;

  private final KeyPair keys;
  private final byte[] credentialId;
  private final byte[] userHandle;
  private final byte[] credentialSecret;
  private final String rpId;
  private final String origin;
  private int signCount;

  /** A fresh credential for {@code rpId}, used from pages at {@code origin}. */
  public SoftwareAuthenticator(String rpId, String origin, SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      this.keys = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    this.credentialId = new byte[16];
    random.nextBytes(credentialId);
    this.userHandle = new byte[16];
    random.nextBytes(userHandle);
    this.credentialSecret = new byte[32];
    random.nextBytes(credentialSecret);
    this.rpId = rpId;
    this.origin = origin;
  }

  public byte[] credentialId() {
    return credentialId.clone();
  }

  public byte[] userHandle() {
    return userHandle.clone();
  }

  public String rpId() {
    return rpId;
  }

  public String origin() {
    return origin;
  }

  /** The credential as a browser hands it over at creation (SPKI form, getPublicKey()). */
  public PasskeyCredential credential() {
    return PasskeyCredential.newBuilder()
        .setCredentialId(ByteString.copyFrom(credentialId))
        .setSpkiPublicKey(ByteString.copyFrom(keys.getPublic().getEncoded()))
        .setPublicKeyAlgorithm(-7)
        .setUserHandle(ByteString.copyFrom(userHandle))
        .build();
  }

  /** The PRF output for {@code salt} (prf.eval.first). */
  public byte[] prf(byte[] salt) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("WebAuthn PRF".getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      sha.update(salt);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(credentialSecret, "HmacSHA256"));
      return mac.doFinal(sha.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An honest assertion over {@code challenge}: this rp id and origin, UP and UV, counter + 1. */
  public PasskeyAssertion assertion(byte[] challenge) {
    return assertion(challenge, rpId, origin, UP | UV, "webauthn.get", false);
  }

  /** The assertion a {@link dev.fleetvault.protocol.flow.PasskeyAssertionSource} returns. */
  public PasskeyAssertion assertion(PasskeyChallenge c) {
    return assertion(c.challenge());
  }

  /** An assertion with the given parts (to test refusals). */
  public synchronized PasskeyAssertion assertion(
      byte[] challenge,
      String rpIdUsed,
      String originUsed,
      int flags,
      String type,
      boolean crossOrigin) {
    try {
      signCount++;
      byte[] rpIdHash =
          MessageDigest.getInstance("SHA-256").digest(rpIdUsed.getBytes(StandardCharsets.UTF_8));
      byte[] authData = new byte[37];
      System.arraycopy(rpIdHash, 0, authData, 0, 32);
      authData[32] = (byte) flags;
      authData[33] = (byte) (signCount >>> 24);
      authData[34] = (byte) (signCount >>> 16);
      authData[35] = (byte) (signCount >>> 8);
      authData[36] = (byte) signCount;
      String json =
          "{\"type\":\""
              + type
              + "\",\"challenge\":\""
              + Base64.getUrlEncoder().withoutPadding().encodeToString(challenge)
              + "\",\"origin\":\""
              + originUsed
              + "\",\"crossOrigin\":"
              + crossOrigin
              + "}";
      byte[] clientData = json.getBytes(StandardCharsets.UTF_8);
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(keys.getPrivate());
      s.update(authData);
      s.update(MessageDigest.getInstance("SHA-256").digest(clientData));
      return PasskeyAssertion.newBuilder()
          .setCredentialId(ByteString.copyFrom(credentialId))
          .setAuthenticatorData(ByteString.copyFrom(authData))
          .setClientDataJson(ByteString.copyFrom(clientData))
          .setSignature(ByteString.copyFrom(s.sign()))
          .setUserHandle(ByteString.copyFrom(userHandle))
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
