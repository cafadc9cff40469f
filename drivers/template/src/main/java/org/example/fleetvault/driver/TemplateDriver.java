package org.example.fleetvault.driver;

import dev.fleetvault.driver.spi.AbstractHsmDriver;
import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.DeviceInfo;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmException.Kind;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.SealedBlob;
import dev.fleetvault.driver.spi.SecretChars;
import dev.fleetvault.driver.spi.SessionGate;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A minimal driver: AES-256 keys, AES-GCM seal/unseal and random bytes, on an emulated device (keys
 * in this object's memory, gone when it closes, so no {@link Capability#PERSISTENT_KEYS}). Replace
 * the marked "device" calls with your device's API; keep the checks of {@link AbstractHsmDriver}
 * first in every operation. NOT a real HSM: never configure it for a node.
 */
@SuppressWarnings("try") // permits are held for the duration of a call without being referenced
public final class TemplateDriver extends AbstractHsmDriver {

  /**
   * Emulated devices: name -> SHA-256 of the PIN set on first open (your device checks its own
   * PIN).
   */
  private static final Map<String, byte[]> DEVICE_PINS = new ConcurrentHashMap<>();

  private final String device;
  private final SessionGate gate;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, KeyHandle> handles = new ConcurrentHashMap<>();
  private final Map<String, SecretKey> keys = new ConcurrentHashMap<>(); // device: key id -> key

  private TemplateDriver(String device, int sessions) {
    super(
        TemplateDriverProvider.ID,
        EnumSet.of(Capability.GENERATE_AES_256, Capability.SEAL_AES_GCM, Capability.RANDOM));
    this.device = device;
    this.gate = new SessionGate(TemplateDriverProvider.ID, sessions, Duration.ofSeconds(2));
  }

  /**
   * Logs in to {@code device} with {@code pin} (the caller wipes it). A wrong PIN is
   * AUTHENTICATION.
   */
  static TemplateDriver open(String device, SecretChars pin, int sessions) throws HsmException {
    char[] p = pin.copyChars();
    byte[] digest;
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (char c : p) {
        md.update((byte) (c >> 8));
        md.update((byte) c);
      }
      digest = md.digest();
    } catch (GeneralSecurityException e) {
      throw new HsmFatalException(Kind.DEVICE_ERROR, "SHA-256 unavailable", e);
    } finally {
      java.util.Arrays.fill(p, '\0');
    }
    byte[] expected = DEVICE_PINS.computeIfAbsent(device, d -> digest);
    if (!MessageDigest.isEqual(expected, digest)) {
      throw new HsmFatalException(
          Kind.AUTHENTICATION,
          "device " + device + " refused the PIN",
          null,
          "TEMPLATE_PIN_INCORRECT",
          null);
    }
    return new TemplateDriver(device, sessions);
  }

  @Override
  public DeviceInfo describe() throws HsmException {
    requireOpen();
    return new DeviceInfo(
        TemplateDriverProvider.ID,
        "Example Vendor",
        "template (emulated, NOT AN HSM)",
        device,
        "n/a",
        "template driver on Java " + System.getProperty("java.version"),
        Map.of());
  }

  @Override
  public KeyHandle generateKey(KeySpec spec, String label) throws HsmException {
    requireInput(spec, "spec");
    requireLabel(label);
    require(spec.generateCapability());
    try (SessionGate.Permit p = gate.acquire()) {
      byte[] id = new byte[16];
      random.nextBytes(id);
      KeyHandle h = KeyHandle.of(label, spec, HexFormat.of().formatHex(id));
      if (handles.putIfAbsent(label, h) != null) {
        throw new HsmFatalException(
            Kind.KEY_EXISTS, "a key labelled '" + label + "' already exists");
      }
      KeyGenerator g =
          KeyGenerator.getInstance("AES"); // device: generate a non-extractable AES-256 key
      g.init(256, random);
      keys.put(h.keyId(), g.generateKey());
      return h;
    } catch (GeneralSecurityException e) {
      handles.remove(label);
      throw new HsmFatalException(Kind.DEVICE_ERROR, "key generation failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<KeyHandle> findKey(String label) throws HsmException {
    requireLabel(label);
    try (SessionGate.Permit p = gate.acquire()) {
      return Optional.ofNullable(handles.get(label));
    }
  }

  @Override
  public byte[] seal(KeyHandle key, byte[] plaintext, byte[] aad) throws HsmException {
    require(Capability.SEAL_AES_GCM);
    requireInput(key, "key");
    requireInput(plaintext, "plaintext");
    requireInput(aad, "aad");
    try (SessionGate.Permit p = gate.acquire()) {
      SecretKey k = aesKey(key);
      byte[] nonce = new byte[SealedBlob.NONCE_LENGTH];
      random.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding"); // device: encrypt under the key
      c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(SealedBlob.TAG_LENGTH * 8, nonce));
      c.updateAAD(aad);
      return new SealedBlob(nonce, c.doFinal(plaintext)).encode();
    } catch (GeneralSecurityException e) {
      throw new HsmFatalException(Kind.DEVICE_ERROR, "seal failed: " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] unseal(KeyHandle key, byte[] sealed, byte[] aad) throws HsmException {
    require(Capability.SEAL_AES_GCM);
    requireInput(key, "key");
    requireInput(aad, "aad");
    SealedBlob blob = SealedBlob.decode(sealed);
    try (SessionGate.Permit p = gate.acquire()) {
      SecretKey k = aesKey(key);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding"); // device: decrypt under the key
      c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(SealedBlob.TAG_LENGTH * 8, blob.nonce()));
      c.updateAAD(aad);
      return c.doFinal(blob.ciphertextAndTag());
    } catch (AEADBadTagException e) {
      throw new HsmFatalException(
          Kind.INTEGRITY, "sealed data does not authenticate under key " + key.label());
    } catch (GeneralSecurityException e) {
      throw new HsmFatalException(Kind.DEVICE_ERROR, "unseal failed: " + e.getMessage(), e);
    }
  }

  private SecretKey aesKey(KeyHandle key) throws HsmFatalException {
    if (key.spec() != KeySpec.AES_256) {
      throw new HsmFatalException(
          Kind.WRONG_KEY_TYPE, "key " + key.label() + " is " + key.spec() + ", not AES_256");
    }
    SecretKey k = keys.get(key.keyId());
    if (k == null || !key.equals(handles.get(key.label()))) {
      throw new HsmFatalException(
          Kind.KEY_NOT_FOUND, "no key " + key.label() + " on device " + device);
    }
    return k;
  }

  @Override
  public byte[] sign(KeyHandle key, byte[] message) throws HsmException {
    requireInput(key, "key");
    requireSign(key.spec());
    throw new HsmFatalException(
        Kind.WRONG_KEY_TYPE, "key " + key.label() + " is AES_256 and cannot sign");
  }

  @Override
  public byte[] ecdh(KeyHandle key, byte[] peerPoint) throws HsmException {
    require(Capability.ECDH_P256);
    throw new AssertionError("unreachable: ECDH_P256 is not a capability of this driver");
  }

  @Override
  public PublicKey publicKey(KeyHandle key) throws HsmException {
    requireInput(key, "key");
    requireOpen();
    if (key.spec() == KeySpec.AES_256) {
      throw new HsmFatalException(
          Kind.WRONG_KEY_TYPE, "key " + key.label() + " is AES_256 and has no public key");
    }
    throw new HsmFatalException(
        Kind.KEY_NOT_FOUND, "no key pair " + key.label() + " on device " + device);
  }

  @Override
  public byte[] random(int n) throws HsmException {
    require(Capability.RANDOM);
    requireRandomLength(n);
    try (SessionGate.Permit p = gate.acquire()) {
      byte[] out = new byte[n];
      random.nextBytes(out); // device: read the device's RNG
      return out;
    }
  }

  @Override
  public int maxConcurrentSessions() {
    return gate.permits();
  }

  /** Calls in progress (tests: none after close). */
  public int sessionsInUse() {
    return gate.inUse();
  }

  @Override
  public void close() {
    if (markClosed()) {
      gate.close(Duration.ofSeconds(10));
      keys.clear(); // device: log out; the emulated keys are volatile
      handles.clear();
    }
  }
}
