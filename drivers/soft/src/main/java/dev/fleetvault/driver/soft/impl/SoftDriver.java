package dev.fleetvault.driver.soft.impl;

import dev.fleetvault.driver.soft.SoftDriverConfig;
import dev.fleetvault.driver.soft.SoftDriverProvider;
import dev.fleetvault.driver.spi.AbstractHsmDriver;
import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.DeviceInfo;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmException.Kind;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.InsecureTestKeyImport;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.P256Points;
import dev.fleetvault.driver.spi.SealedBlob;
import dev.fleetvault.driver.spi.SecretChars;
import dev.fleetvault.driver.spi.SessionGate;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The software driver (NOT FOR PRODUCTION): keys in process memory, persisted in a
 * passphrase-encrypted {@link KeyFile} that one process at a time may hold (a lock file).
 * Concurrency is bounded by a {@link SessionGate}.
 */
@SuppressWarnings("try") // permits are held for the duration of a call without being referenced
public final class SoftDriver extends AbstractHsmDriver implements InsecureTestKeyImport {

  private static final Logger LOG = LoggerFactory.getLogger(SoftDriver.class);

  private final SoftDriverConfig config;
  private final KeyFile file;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final SessionGate gate;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, SoftKey> byLabel = new ConcurrentHashMap<>();
  private final Object writeLock = new Object();
  private final Object deviceKeyLock = new Object();

  private SoftDriver(
      SoftDriverConfig config, KeyFile file, FileChannel lockChannel, FileLock lock) {
    super(SoftDriverProvider.ID, capabilities(config));
    this.config = config;
    this.file = file;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.gate =
        new SessionGate(SoftDriverProvider.ID, config.maxSessions(), config.borrowTimeout());
  }

  private static Set<Capability> capabilities(SoftDriverConfig config) {
    EnumSet<Capability> caps = EnumSet.allOf(Capability.class);
    if (!config.insecureTestKeyImport()) {
      caps.remove(Capability.INSECURE_TEST_KEY_IMPORT);
    }
    return caps;
  }

  /**
   * Opens (or creates) the key file named in {@code config}. The caller wipes {@code passphrase}.
   */
  public static SoftDriver open(SoftDriverConfig config, SecretChars passphrase)
      throws HsmException {
    Path path = config.keyFile();
    FileChannel ch = null;
    FileLock lock = null;
    try {
      Path lockPath = path.resolveSibling(path.getFileName() + ".lock");
      Files.createDirectories(path.toAbsolutePath().getParent());
      ch = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = ch.tryLock();
      if (lock == null) {
        throw new OverlappingFileLockException();
      }
    } catch (OverlappingFileLockException e) {
      closeQuietly(ch);
      throw new HsmFatalException(
          Kind.CONFIG,
          "key file "
              + path
              + " is already open in another driver or process;"
              + " give each node its own key_file");
    } catch (IOException e) {
      closeQuietly(ch);
      throw new HsmFatalException(
          Kind.CONFIG, "cannot lock key file " + path + ": " + e.getMessage(), e);
    }
    try {
      SoftDriver d;
      if (Files.exists(path)) {
        KeyFile.Opened opened = KeyFile.open(path, passphrase, new SecureRandom());
        d = new SoftDriver(config, opened.file(), ch, lock);
        for (SoftKey k : opened.keys()) {
          d.byLabel.put(k.handle().label(), k);
        }
      } else if (config.create()) {
        KeyFile f =
            KeyFile.create(
                path,
                passphrase,
                config.kdfMemoryKib(),
                config.kdfIterations(),
                new SecureRandom());
        d = new SoftDriver(config, f, ch, lock);
      } else {
        throw new HsmFatalException(
            Kind.CONFIG, "key file " + path + " does not exist and create is false");
      }
      LOG.warn(
          "HSM driver 'soft' opened on {} ({} keys): software keys, NOT FOR PRODUCTION",
          path,
          d.byLabel.size());
      return d;
    } catch (HsmException | RuntimeException e) {
      try {
        lock.release();
      } catch (IOException ignored) {
        // closing anyway
      }
      closeQuietly(ch);
      throw e;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  @Override
  public DeviceInfo describe() throws HsmException {
    try (SessionGate.Permit p = gate.acquire()) {
      Map<String, String> details = new LinkedHashMap<>();
      details.put("key_file", file.path().toString());
      details.put("kdf", "argon2id m=" + file.memoryKib() + "KiB t=" + file.iterations() + " p=1");
      details.put("warning", "software keys, not for production");
      return new DeviceInfo(
          SoftDriverProvider.ID,
          "Fleetvault",
          "soft (software key file, NOT FOR PRODUCTION)",
          file.fileId(),
          "n/a",
          "Bouncy Castle "
              + SoftAlgorithms.BC.getVersionStr()
              + " on Java "
              + System.getProperty("java.version"),
          details);
    }
  }

  @Override
  public KeyHandle generateKey(KeySpec spec, String label) throws HsmException {
    Objects.requireNonNull(spec, "spec");
    requireLabel(label);
    try (SessionGate.Permit p = gate.acquire()) {
      SoftKey key = newKey(spec, label);
      synchronized (writeLock) {
        if (byLabel.containsKey(label)) {
          throw new HsmFatalException(
              Kind.KEY_EXISTS, "a key labelled '" + label + "' already exists");
        }
        byLabel.put(label, key);
        try {
          file.write(new ArrayList<>(byLabel.values()));
        } catch (HsmException | RuntimeException e) {
          byLabel.remove(label);
          throw e;
        }
      }
      return key.handle();
    }
  }

  private SoftKey newKey(KeySpec spec, String label) throws HsmException {
    KeyHandle h = KeyHandle.of(label, spec, newId());
    try {
      switch (spec) {
        case AES_256 -> {
          KeyGenerator g = KeyGenerator.getInstance("AES");
          g.init(256, random);
          SecretKey k = g.generateKey();
          return new SoftKey(h, k, null, true);
        }
        case EC_P256 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
          g.initialize(new ECGenParameterSpec("secp256r1"), random);
          KeyPair kp = g.generateKeyPair();
          return new SoftKey(h, kp.getPrivate(), kp.getPublic(), true);
        }
        case ED25519 -> {
          KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
          return new SoftKey(h, kp.getPrivate(), kp.getPublic(), true);
        }
        case RSA_2048 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(2048, random);
          KeyPair kp = g.generateKeyPair();
          return new SoftKey(h, kp.getPrivate(), kp.getPublic(), true);
        }
        default -> throw new HsmFatalException(Kind.UNSUPPORTED, "unsupported key spec " + spec);
      }
    } catch (GeneralSecurityException e) {
      throw new HsmFatalException(Kind.DEVICE_ERROR, "key generation failed for " + spec, e);
    }
  }

  private String newId() {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  @Override
  public KeyHandle importKeyPairInsecureTestOnly(KeySpec spec, String label, KeyPair pair)
      throws HsmException {
    requireTestImport(spec, label, pair);
    try (SessionGate.Permit p = gate.acquire()) {
      SoftKey key =
          new SoftKey(
              KeyHandle.of(label, spec, newId()), pair.getPrivate(), pair.getPublic(), false);
      if (byLabel.putIfAbsent(label, key) != null) {
        throw new HsmFatalException(
            Kind.KEY_EXISTS, "a key labelled '" + label + "' already exists");
      }
      return key.handle();
    }
  }

  @Override
  public Optional<KeyHandle> findKey(String label) throws HsmException {
    requireLabel(label);
    try (SessionGate.Permit p = gate.acquire()) {
      SoftKey k = byLabel.get(label);
      return k == null ? Optional.empty() : Optional.of(k.handle());
    }
  }

  private SoftKey resolve(KeyHandle h, KeySpec... allowed) throws HsmException {
    Objects.requireNonNull(h, "key");
    SoftKey k = byLabel.get(h.label());
    if (k == null || !k.handle().keyId().equals(h.keyId())) {
      throw new HsmFatalException(
          Kind.KEY_NOT_FOUND,
          "no key " + h.label() + " with id " + h.keyId() + " in this soft driver");
    }
    for (KeySpec s : allowed) {
      if (k.spec() == s) {
        return k;
      }
    }
    throw new HsmFatalException(
        Kind.WRONG_KEY_TYPE,
        "key "
            + h.label()
            + " is "
            + k.spec()
            + "; this operation needs "
            + java.util.Arrays.toString(allowed));
  }

  /** The format name of the soft driver's development attestation. */
  public static final String DEV_ATTESTATION_FORMAT = "fleetvault-soft-dev-attestation-v1";

  /**
   * The label of the per-install device key that signs development attestations (generated on first
   * use).
   */
  public static final String DEVICE_KEY_LABEL = "soft.dev-attestation-device-key";

  /**
   * What the software driver knows about {@code key}: generated by this driver (true for every key
   * it generated, false for imported test keys), never exported (this driver has no export
   * operation). Only as trustworthy as the software and the key file's passphrase: NOT a proof of
   * HSM generation, and verifiers treat the {@code soft} driver as development only.
   */
  @Override
  public dev.fleetvault.driver.spi.KeyProvenance keyProvenance(KeyHandle key) throws HsmException {
    try (SessionGate.Permit p = gate.acquire()) {
      SoftKey k = resolve(key, KeySpec.values());
      Map<String, String> raw = new LinkedHashMap<>();
      raw.put("soft.generated_in_driver", Boolean.toString(k.persistent()));
      raw.put("soft.persisted_in_key_file", Boolean.toString(k.persistent()));
      raw.put("soft.export_operation", "none");
      raw.put("soft.warning", "software keys, NOT FOR PRODUCTION");
      return new dev.fleetvault.driver.spi.KeyProvenance(
          k.handle().label(),
          k.spec(),
          k.persistent(),
          k.persistent(),
          true,
          false,
          "soft driver key file " + file.fileId() + " (software, not an HSM)",
          raw);
    }
  }

  /**
   * A DEVELOPMENT attestation of {@code key} ({@value #DEV_ATTESTATION_FORMAT}): a text statement
   * naming the key (label, type, id, public key) and its provenance, signed (ECDSA P-256, DER) by a
   * per-install device key kept in this key file under {@value #DEVICE_KEY_LABEL}. It is clearly
   * labelled as development: it chains to no vendor root and proves nothing about hardware. Format,
   * one {@code name: value} line each, LF-terminated: the format name; {@code notice}; {@code
   * device_key} (base64 SPKI); {@code device_id}; {@code key_label}; {@code key_spec}; {@code
   * key_id}; {@code public_key} (base64 SPKI, {@code -} for AES); {@code generated_in_driver};
   * {@code exportable}; then {@code signature} (base64 DER) over every byte before that line.
   */
  @Override
  public dev.fleetvault.driver.spi.Attestation attest(KeyHandle key) throws HsmException {
    dev.fleetvault.driver.spi.KeyProvenance prov = keyProvenance(key);
    if (key.label().equals(DEVICE_KEY_LABEL)) {
      throw new HsmFatalException(Kind.INVALID_INPUT, "the device key does not attest itself");
    }
    KeyHandle device;
    synchronized (deviceKeyLock) {
      Optional<KeyHandle> found = findKey(DEVICE_KEY_LABEL);
      device = found.isPresent() ? found.get() : generateKey(KeySpec.EC_P256, DEVICE_KEY_LABEL);
    }
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    PublicKey pub = key.spec() == KeySpec.AES_256 ? null : publicKey(key);
    StringBuilder sb = new StringBuilder();
    sb.append(DEV_ATTESTATION_FORMAT).append('\n');
    sb.append(
        "notice: DEVELOPMENT ATTESTATION by the Fleetvault software driver; no hardware root; proves nothing about an HSM\n");
    sb.append("device_key: ")
        .append(b64.encodeToString(publicKey(device).getEncoded()))
        .append('\n');
    sb.append("device_id: ").append(file.fileId()).append('\n');
    sb.append("key_label: ").append(key.label()).append('\n');
    sb.append("key_spec: ").append(key.spec().name()).append('\n');
    sb.append("key_id: ").append(key.keyId()).append('\n');
    sb.append("public_key: ")
        .append(pub == null ? "-" : b64.encodeToString(pub.getEncoded()))
        .append('\n');
    sb.append("generated_in_driver: ").append(prov.generatedOnDevice()).append('\n');
    sb.append("exportable: ").append(prov.extractable()).append('\n');
    byte[] body = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] sig = sign(device, body);
    byte[] tail =
        ("signature: " + b64.encodeToString(sig) + "\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(body, body.length + tail.length);
    System.arraycopy(tail, 0, out, body.length, tail.length);
    return new dev.fleetvault.driver.spi.Attestation(DEV_ATTESTATION_FORMAT, out);
  }

  @Override
  public byte[] seal(KeyHandle key, byte[] plaintext, byte[] aad) throws HsmException {
    requireInput(plaintext, "plaintext");
    requireInput(aad, "aad");
    try (SessionGate.Permit p = gate.acquire()) {
      SoftKey k = resolve(key, KeySpec.AES_256);
      byte[] nonce = new byte[SealedBlob.NONCE_LENGTH];
      random.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.ENCRYPT_MODE, k.secret(), new GCMParameterSpec(SealedBlob.TAG_LENGTH * 8, nonce));
      c.updateAAD(aad);
      return new SealedBlob(nonce, c.doFinal(plaintext)).encode();
    } catch (GeneralSecurityException e) {
      throw new HsmFatalException(Kind.DEVICE_ERROR, "seal failed", e);
    }
  }

  @Override
  public byte[] unseal(KeyHandle key, byte[] sealed, byte[] aad) throws HsmException {
    requireInput(aad, "aad");
    try (SessionGate.Permit p = gate.acquire()) {
      SoftKey k = resolve(key, KeySpec.AES_256);
      SealedBlob blob = SealedBlob.decode(sealed);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          k.secret(),
          new GCMParameterSpec(SealedBlob.TAG_LENGTH * 8, blob.nonce()));
      c.updateAAD(aad);
      return c.doFinal(blob.ciphertextAndTag());
    } catch (AEADBadTagException e) {
      throw new HsmFatalException(
          Kind.INTEGRITY, "sealed data failed authentication (tampered, wrong key or wrong aad)");
    } catch (GeneralSecurityException e) {
      throw new HsmFatalException(Kind.DEVICE_ERROR, "unseal failed", e);
    }
  }

  @Override
  public byte[] sign(KeyHandle key, byte[] message) throws HsmException {
    requireInput(message, "message");
    try (SessionGate.Permit p = gate.acquire()) {
      SoftKey k = resolve(key, KeySpec.EC_P256, KeySpec.ED25519, KeySpec.RSA_2048);
      if (k.spec() == KeySpec.EC_P256) {
        return SoftEc.sign(k.ecParams(), message);
      }
      Signature s = SoftAlgorithms.signature(k.spec());
      s.initSign((java.security.PrivateKey) k.secret(), random);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new HsmFatalException(Kind.DEVICE_ERROR, "sign failed", e);
    }
  }

  @Override
  public byte[] ecdh(KeyHandle key, byte[] peerPoint) throws HsmException {
    P256Points.decodeUncompressed(
        peerPoint); // validates: length, prefix, field range, on the curve
    try (SessionGate.Permit p = gate.acquire()) {
      SoftKey k = resolve(key, KeySpec.EC_P256);
      return SoftEc.ecdh(k.ecParams(), peerPoint);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new HsmFatalException(Kind.INVALID_INPUT, "ECDH rejected the peer point", e);
    } catch (RuntimeException e) {
      throw new HsmFatalException(Kind.DEVICE_ERROR, "ECDH failed", e);
    }
  }

  @Override
  public PublicKey publicKey(KeyHandle key) throws HsmException {
    try (SessionGate.Permit p = gate.acquire()) {
      return resolve(key, KeySpec.EC_P256, KeySpec.ED25519, KeySpec.RSA_2048).publicKey();
    }
  }

  @Override
  public byte[] random(int n) throws HsmException {
    requireRandomLength(n);
    try (SessionGate.Permit p = gate.acquire()) {
      byte[] b = new byte[n];
      random.nextBytes(b);
      return b;
    }
  }

  @Override
  public int maxConcurrentSessions() {
    return gate.permits();
  }

  /** Calls currently in progress (tests). */
  public int sessionsInUse() {
    return gate.inUse();
  }

  @Override
  public void close() {
    if (!markClosed()) {
      return;
    }
    if (!gate.close(Duration.ofSeconds(10))) {
      LOG.warn("soft driver closed with calls still in progress");
    }
    byLabel.clear();
    file.close();
    try {
      lock.release();
    } catch (IOException ignored) {
      // channel close releases it too
    }
    closeQuietly(lockChannel);
  }

  @Override
  public String toString() {
    return "SoftDriver[" + config.keyFile() + "]";
  }
}
