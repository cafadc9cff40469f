package dev.fleetvault.driver.pkcs11.impl;

import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmException.Kind;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The token's keys by label. Keys are generated as sensitive, non-extractable session objects and
 * copied to the token under their label through the PKCS#11 KeyStore (key pairs with a placeholder
 * certificate, which that KeyStore requires). Loaded keys are cached per label. Key ids: SPKI
 * SHA-256 fingerprint for pairs, AES-GCM key check value for AES keys.
 */
final class TokenKeys {

  /** A key known to the driver: handle, the token key object, the public key for pairs. */
  record Entry(KeyHandle handle, Key key, PublicKey publicKey) {}

  private final Provider provider;
  private final KeyStore keyStore;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();
  private final Object lock = new Object();

  TokenKeys(Provider provider, KeyStore keyStore) {
    this.provider = provider;
    this.keyStore = keyStore;
  }

  /** Generates {@code spec} on the token under {@code label}; KEY_EXISTS if taken. */
  KeyHandle generate(KeySpec spec, String label) throws HsmException, GeneralSecurityException {
    synchronized (lock) {
      requireFree(label);
      switch (spec) {
        case AES_256 -> {
          KeyGenerator g = KeyGenerator.getInstance("AES", provider);
          g.init(256);
          keyStore.setEntry(label, new KeyStore.SecretKeyEntry(g.generateKey()), null);
        }
        case EC_P256 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
          g.initialize(new ECGenParameterSpec("secp256r1"));
          storePair(label, g.generateKeyPair(), Pkcs11Capabilities.ECDSA);
        }
        case RSA_2048 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", provider);
          g.initialize(2048);
          storePair(label, g.generateKeyPair(), Pkcs11Capabilities.RSA_CERT);
        }
        default ->
            throw new HsmFatalException(
                Kind.UNSUPPORTED, "cannot generate " + spec + " through SunPKCS11");
      }
      return load(label)
          .orElseThrow(
              () ->
                  new HsmFatalException(
                      Kind.DEVICE_ERROR,
                      "key '" + label + "' was stored but cannot be found again"))
          .handle();
    }
  }

  /** Imports an EC key pair as a session object (never stored on the token); tests only. */
  KeyHandle importSessionPair(KeySpec spec, String label, KeyPair pair)
      throws HsmException, GeneralSecurityException {
    Key priv = KeyFactory.getInstance("EC", provider).translateKey(pair.getPrivate());
    Entry e =
        new Entry(KeyHandle.of(label, spec, fingerprint(pair.getPublic())), priv, pair.getPublic());
    synchronized (lock) {
      requireFree(label);
      cache.put(label, e);
    }
    return e.handle();
  }

  private void requireFree(String label) throws HsmFatalException, GeneralSecurityException {
    if (cache.containsKey(label) || keyStore.containsAlias(label)) {
      throw new HsmFatalException(
          Kind.KEY_EXISTS, "a key labelled '" + label + "' already exists on the token");
    }
  }

  private void storePair(String label, KeyPair pair, String certAlg)
      throws GeneralSecurityException {
    Certificate cert = SelfSignedCertificates.create(label, pair, certAlg, provider);
    keyStore.setEntry(
        label, new KeyStore.PrivateKeyEntry(pair.getPrivate(), new Certificate[] {cert}), null);
  }

  /** The entry for {@code label}, loading it from the token on first use. */
  Optional<Entry> load(String label) throws GeneralSecurityException {
    Entry e = cache.get(label);
    if (e != null) {
      return Optional.of(e);
    }
    synchronized (lock) {
      e = cache.get(label);
      if (e == null) {
        e = loadFromToken(label);
        if (e != null) {
          cache.put(label, e);
        }
      }
      return Optional.ofNullable(e);
    }
  }

  private Entry loadFromToken(String label) throws GeneralSecurityException {
    if (!keyStore.containsAlias(label)) {
      return null;
    }
    Key key = keyStore.getKey(label, null);
    if (key instanceof SecretKey sk && "AES".equalsIgnoreCase(sk.getAlgorithm())) {
      return new Entry(KeyHandle.of(label, KeySpec.AES_256, checkValue(sk)), sk, null);
    }
    if (key instanceof PrivateKey pk) {
      Certificate cert = keyStore.getCertificate(label);
      KeySpec spec =
          switch (pk.getAlgorithm()) {
            case "EC" -> KeySpec.EC_P256;
            case "RSA" -> KeySpec.RSA_2048;
            default -> null;
          };
      if (cert == null || spec == null) {
        return null;
      }
      PublicKey pub = cert.getPublicKey();
      return new Entry(KeyHandle.of(label, spec, fingerprint(pub)), pk, pub);
    }
    return null;
  }

  /** The entry behind {@code h} if it is ours and of one of the {@code allowed} types. */
  Entry resolve(KeyHandle h, KeySpec... allowed) throws HsmException, GeneralSecurityException {
    Entry e = load(h.label()).orElse(null);
    if (e == null || !e.handle().keyId().equals(h.keyId())) {
      throw new HsmFatalException(
          Kind.KEY_NOT_FOUND, "no key " + h.label() + " with id " + h.keyId() + " on this token");
    }
    for (KeySpec s : allowed) {
      if (e.handle().spec() == s) {
        return e;
      }
    }
    throw new HsmFatalException(
        Kind.WRONG_KEY_TYPE,
        "key "
            + h.label()
            + " is "
            + e.handle().spec()
            + "; this operation needs "
            + Arrays.toString(allowed));
  }

  /** Forgets cached key objects (close). */
  void clear() {
    cache.clear();
  }

  /** E_K(0^96 || 1): the GCM tag of nothing under a zero nonce, the usual AES key check value. */
  private String checkValue(SecretKey key) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance(Pkcs11Capabilities.GCM, provider);
    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, new byte[12]));
    // Never Cipher.doFinal() without an array: JDK 17's P11AEADCipher passes null to C_Encrypt and
    // the JVM crashes.
    return "kcv:" + HexFormat.of().formatHex(Arrays.copyOf(c.doFinal(new byte[0]), 8));
  }

  private static String fingerprint(PublicKey pub) throws GeneralSecurityException {
    byte[] d = MessageDigest.getInstance("SHA-256").digest(pub.getEncoded());
    return "spki-sha256:" + HexFormat.of().formatHex(Arrays.copyOf(d, 16));
  }
}
