package dev.fleetvault.gateway.member.impl;

import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeyLabels;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.P256Points;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.crypto.KeyAgreement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's EC P-256 keys for HSMs without EC ({@code member_keys: wrapped}): generated in
 * software (JDK, secp256r1); the PKCS#8 private key sealed by the HSM's AES-256 key {@code
 * fleetvault.<member>.seal} with associated data binding fleet id, member id, key label and public
 * key ({@link SealedKeyFile#aad}); stored in {@code <data_dir>/member-keys/<label>.sealed.json}. On
 * first use after start a key is unsealed through the HSM, imported, checked against the stored
 * public key, and the decrypted bytes are wiped; the private key then stays in process memory for
 * ECDH and ECDSA.
 *
 * <p>Guarantees: a blob opens only under the same HSM key for the same fleet, member and label
 * (anything else: kind INTEGRITY); wrapped files present while the HSM has no sealing key is
 * refused (KEY_NOT_FOUND), never silently re-keyed; an existing file is never overwritten; key
 * material is never logged, printed or returned. JVM-internal copies of the imported private keys
 * cannot be wiped and live as long as the process. Thread-safe.
 */
public final class WrappedKeyStore {
  private static final Logger LOG = LoggerFactory.getLogger(WrappedKeyStore.class);

  /** Directory under the node's data dir holding the sealed key files. */
  public static final String DIR = "member-keys";

  /** Key-id prefix of the handles this store hands out. */
  static final String KEY_ID_PREFIX = "wrapped:";

  private final HsmDriver hsm;
  private final String fleetId;
  private final String memberId;
  private final Path dir;
  private final Map<String, KeyPair> loaded = new ConcurrentHashMap<>();
  private volatile KeyHandle sealKey;

  /**
   * @param hsm the member's HSM (seals, unseals and holds the sealing key)
   * @param fleetId the fleet id (bound into the associated data)
   * @param memberId the member id (its keys are labelled {@code fleetvault.<member>.*})
   * @param dataDir the node's data directory
   */
  public WrappedKeyStore(HsmDriver hsm, String fleetId, String memberId, Path dataDir) {
    this.hsm = hsm;
    this.fleetId = fleetId;
    this.memberId = memberId;
    this.dir = dataDir.resolve(DIR);
  }

  /** The label of the member's AES-256 sealing key (the same one that seals its records). */
  public static String sealLabel(String memberId) {
    return "fleetvault." + memberId + ".seal";
  }

  /** Whether EC keys with {@code label} belong in this store (the member's own EC keys). */
  public boolean covers(String label) {
    return label.startsWith("fleetvault." + memberId + ".") && !label.equals(sealLabel(memberId));
  }

  /** Whether {@code k} is a handle of this store (whether or not it is still loaded). */
  public boolean owns(KeyHandle k) {
    return k.spec() == KeySpec.EC_P256 && k.keyId().startsWith(KEY_ID_PREFIX);
  }

  /** The sealed file of {@code label}. */
  public Path file(String label) {
    return dir.resolve(label + ".sealed.json");
  }

  /** Finds the key {@code label}: from memory, else unsealed from its file; empty if neither. */
  public synchronized Optional<KeyHandle> find(String label) throws HsmException {
    KeyLabels.validate(label);
    if (!loaded.containsKey(label)) {
      Optional<SealedKeyFile> stored = SealedKeyFile.read(file(label));
      if (stored.isEmpty()) {
        return Optional.empty();
      }
      loaded.put(label, unwrap(label, stored.get()));
    }
    return Optional.of(handle(label));
  }

  /** Generates the key {@code label} in software and stores it sealed; KEY_EXISTS if present. */
  public synchronized KeyHandle generate(String label) throws HsmException {
    KeyLabels.validate(label);
    if (loaded.containsKey(label) || Files.exists(file(label))) {
      throw new HsmFatalException(
          HsmException.Kind.KEY_EXISTS,
          "wrapped member key " + label + " already exists in " + dir);
    }
    KeyHandle seal = sealKey();
    KeyPair kp = newKeyPair();
    byte[] spki = kp.getPublic().getEncoded();
    byte[] pkcs8 = kp.getPrivate().getEncoded();
    try {
      byte[] sealed = hsm.seal(seal, pkcs8, SealedKeyFile.aad(fleetId, memberId, label, spki));
      new SealedKeyFile(fleetId, memberId, label, seal.label(), spki, sealed).writeNew(file(label));
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
    loaded.put(label, kp);
    LOG.info(
        "member {}: generated wrapped EC key {} in software, sealed by HSM key {} into {}",
        memberId,
        label,
        seal.label(),
        file(label));
    return handle(label);
  }

  /** The public key of a handle of this store. */
  public PublicKey publicKey(KeyHandle k) throws HsmException {
    return pair(k).getPublic();
  }

  /** ECDH with a handle of this store: 32-byte x-coordinate; bad point -> INVALID_INPUT. */
  public byte[] ecdh(KeyHandle k, byte[] peerUncompressedPoint) throws HsmException {
    PrivateKey priv = pair(k).getPrivate();
    ECPublicKey peer = P256Points.decodeUncompressed(peerUncompressedPoint);
    try {
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(priv);
      ka.doPhase(peer, true);
      return ka.generateSecret();
    } catch (InvalidKeyException e) {
      throw new HsmFatalException(HsmException.Kind.INVALID_INPUT, "peer point rejected");
    } catch (GeneralSecurityException e) {
      throw new HsmFatalException(HsmException.Kind.DEVICE_ERROR, "software ECDH failed", e);
    }
  }

  /** SHA256withECDSA (DER) with a handle of this store. */
  public byte[] sign(KeyHandle k, byte[] message) throws HsmException {
    PrivateKey priv = pair(k).getPrivate();
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(priv);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new HsmFatalException(HsmException.Kind.DEVICE_ERROR, "software ECDSA failed", e);
    }
  }

  /** Drops the in-memory keys (they can no longer be used through this store). */
  public void clear() {
    loaded.clear();
  }

  private KeyPair pair(KeyHandle k) throws HsmException {
    KeyPair kp = k.keyId().startsWith(KEY_ID_PREFIX) ? loaded.get(k.label()) : null;
    if (kp == null) {
      throw new HsmFatalException(
          HsmException.Kind.KEY_NOT_FOUND, "no wrapped member key " + k.label() + " is loaded");
    }
    return kp;
  }

  private KeyHandle handle(String label) {
    return KeyHandle.of(label, KeySpec.EC_P256, KEY_ID_PREFIX + label);
  }

  private KeyHandle sealKey() throws HsmException {
    KeyHandle k = sealKey;
    if (k != null) {
      return k;
    }
    String label = sealLabel(memberId);
    Optional<KeyHandle> found = hsm.findKey(label);
    if (found.isPresent()) {
      k = found.get();
    } else {
      if (anyWrappedFile()) {
        throw new HsmFatalException(
            HsmException.Kind.KEY_NOT_FOUND,
            "member "
                + memberId
                + ": wrapped member keys exist in "
                + dir
                + " but the HSM has no sealing key '"
                + label
                + "' to open them (wrong HSM or partition, or the key was deleted); "
                + "refusing to generate new member keys over them");
      }
      k = hsm.generateKey(KeySpec.AES_256, label);
    }
    sealKey = k;
    return k;
  }

  private boolean anyWrappedFile() {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".sealed.json"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private KeyPair unwrap(String label, SealedKeyFile f) throws HsmException {
    Path file = file(label);
    if (!f.fleet().equals(fleetId) || !f.member().equals(memberId) || !f.label().equals(label)) {
      throw new HsmFatalException(
          HsmException.Kind.INTEGRITY,
          file
              + " holds key "
              + f.label()
              + " of member "
              + f.member()
              + " of fleet "
              + f.fleet()
              + ", not "
              + label
              + " of member "
              + memberId
              + " of fleet "
              + fleetId);
    }
    KeyHandle seal = sealKey();
    byte[] spki = f.publicKey();
    byte[] pkcs8;
    try {
      pkcs8 = hsm.unseal(seal, f.sealed(), SealedKeyFile.aad(fleetId, memberId, label, spki));
    } catch (HsmException e) {
      if (e.kind() == HsmException.Kind.INTEGRITY) {
        throw new HsmFatalException(
            HsmException.Kind.INTEGRITY,
            file
                + " does not open under "
                + "HSM key "
                + seal.label()
                + " for fleet "
                + fleetId
                + ", member "
                + memberId
                + ", key "
                + label
                + " (tampered, copied, or sealed by another HSM key)",
            e);
      }
      throw e;
    }
    try {
      KeyFactory kf = KeyFactory.getInstance("EC");
      PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(spki));
      checkPair(priv, pub);
      return new KeyPair(pub, priv);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new HsmFatalException(
          HsmException.Kind.INTEGRITY,
          file
              + " opened but does not hold "
              + "a matching P-256 key pair ("
              + e.getClass().getSimpleName()
              + ")");
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  private static KeyPair newKeyPair() throws HsmException {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new HsmFatalException(
          HsmException.Kind.UNSUPPORTED, "this JVM cannot generate P-256 keys", e);
    }
  }

  /** Both keys on P-256, and the private key signs what the public key verifies. */
  private static void checkPair(PrivateKey priv, PublicKey pub) throws GeneralSecurityException {
    for (ECKey k : new ECKey[] {(ECKey) priv, (ECKey) pub}) {
      if (!k.getParams().getOrder().equals(P256Points.params().getOrder())
          || !k.getParams().getCurve().equals(P256Points.params().getCurve())) {
        throw new InvalidKeyException("not a P-256 key");
      }
    }
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(priv);
    s.update(challenge);
    byte[] sig = s.sign();
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(pub);
    v.update(challenge);
    if (!v.verify(sig)) {
      throw new InvalidKeyException("private key does not match the stored public key");
    }
  }

  @Override
  public String toString() {
    return "WrappedKeyStore[" + memberId + ", " + dir + "]";
  }
}
