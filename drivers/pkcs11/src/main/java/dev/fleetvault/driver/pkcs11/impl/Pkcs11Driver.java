package dev.fleetvault.driver.pkcs11.impl;

import dev.fleetvault.driver.pkcs11.Pkcs11Config;
import dev.fleetvault.driver.pkcs11.Pkcs11DriverProvider;
import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.DeviceInfo;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmException.Kind;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.InsecureTestKeyImport;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeyLabels;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.P256Points;
import dev.fleetvault.driver.spi.SealedBlob;
import dev.fleetvault.driver.spi.SecretChars;
import dev.fleetvault.driver.spi.SessionGate;
import java.security.AuthProvider;
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
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.util.Arrays;
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
import javax.crypto.KeyAgreement;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PKCS#11 driver over a SunPKCS11 provider instance configured for one slot. Keys live on the
 * token under their labels (PKCS#11 KeyStore entries); their JCA handles are cached per label.
 * Calls are bounded by a {@link SessionGate} of {@code max_sessions}; SunPKCS11 keeps at most
 * that many operation sessions busy.
 */
public final class Pkcs11Driver implements HsmDriver, InsecureTestKeyImport {

  private static final Logger LOG = LoggerFactory.getLogger(Pkcs11Driver.class);
  private static final int MAX_RANDOM = 1024;
  private static final String GCM = "AES/GCM/NoPadding";
  private static final String ECDSA = "SHA256withECDSA";
  private static final String RSA_PSS = "SHA256withRSASSA-PSS";
  private static final PSSParameterSpec PSS = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

  /** A key known to this driver: its handle, the token key object, and the public key for pairs. */
  private record Entry(KeyHandle handle, Key key, PublicKey publicKey) {}

  private final Pkcs11Config config;
  private final Provider provider;
  private final KeyStore keyStore;
  private final SessionGate gate;
  private final String tokenKey;
  private final Set<Capability> capabilities;
  private final DeviceInfo info;
  private final SecureRandom nonces = new SecureRandom();
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();
  private final Object keyStoreLock = new Object();
  private volatile boolean tokenReleased;

  private Pkcs11Driver(Pkcs11Config config, Provider provider, KeyStore keyStore, String tokenKey, DeviceInfo info) {
    this.config = config;
    this.provider = provider;
    this.keyStore = keyStore;
    this.tokenKey = tokenKey;
    this.info = info;
    this.gate = new SessionGate(Pkcs11DriverProvider.ID, config.maxSessions(), config.borrowTimeout());
    this.capabilities = readCapabilities(provider, config.insecureTestKeyImport());
  }

  /** Configures SunPKCS11 for the selected slot, logs in with {@code pin} (wiped here) and returns the driver. */
  public static Pkcs11Driver open(Pkcs11Config config, SecretChars pin) throws HsmException {
    boolean wrapper = WrapperAccess.available();
    long slotId = -1;
    String slotLine;
    Pkcs11Config.SlotSelection sel = config.slot();
    if (sel instanceof Pkcs11Config.SlotId s) {
      slotId = s.id();
      slotLine = "slot = " + s.id();
    } else if (sel instanceof Pkcs11Config.SlotIndex s) {
      slotLine = "slotListIndex = " + s.index();
      if (wrapper) {
        long[] all = WrapperAccess.allSlots(config.library());
        if (s.index() < all.length) {
          slotId = all[s.index()];
        }
      }
    } else {
      Pkcs11Config.TokenLabel t = (Pkcs11Config.TokenLabel) sel;
      if (!wrapper) {
        throw new HsmFatalException(Kind.CONFIG, "key 'token_label' needs the JVM option " + WrapperAccess.ADD_EXPORTS
            + " to read token labels; add it, or configure slot / slot_index instead");
      }
      slotId = WrapperAccess.slotByTokenLabel(config.library(), t.label(), "pkcs11 settings");
      slotLine = "slot = " + slotId;
    }
    Provider provider;
    try {
      provider = Security.getProvider("SunPKCS11").configure(SunPkcs11ConfigText.build(config.library(), slotLine,
          config.insecureTestKeyImport()));
    } catch (RuntimeException e) {
      throw CkrErrors.map("cannot configure SunPKCS11 for " + config.library() + " (" + slotLine + ")", e, Kind.CONFIG);
    }
    KeyStore ks;
    char[] p = pin.copyChars();
    try {
      ks = KeyStore.getInstance("PKCS11", provider);
      ks.load(null, p);
    } catch (Exception e) {
      HsmException mapped = CkrErrors.map("login to PKCS#11 token failed", e, Kind.AUTHENTICATION);
      throw mapped;
    } finally {
      Arrays.fill(p, '\0');
      pin.wipe();
    }
    String tokenKey = config.library() + "#" + (slotId >= 0 ? "slot" + slotId : slotLine);
    TokenLogins.acquire(tokenKey);
    Pkcs11Driver d = new Pkcs11Driver(config, provider, ks, tokenKey, describe(config, provider, slotId, wrapper));
    LOG.info("HSM driver 'pkcs11' opened: {} {} serial {} ({}), capabilities {}", d.info.vendor(), d.info.model(),
        d.info.serial(), slotLine, d.capabilities);
    return d;
  }

  private static DeviceInfo describe(Pkcs11Config config, Provider provider, long slotId, boolean wrapper) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("library", config.library().toString());
    details.put("provider", provider.getName() + " (JDK " + System.getProperty("java.version") + ")");
    if (wrapper && slotId >= 0) {
      try {
        WrapperAccess.TokenFacts t = WrapperAccess.token(config.library(), slotId);
        WrapperAccess.LibraryFacts l = WrapperAccess.library(config.library());
        details.put("slot", Long.toString(slotId));
        details.put("token_label", t.label());
        details.put("hardware_version", t.hardwareVersion());
        details.put("cryptoki_version", l.cryptokiVersion());
        details.put("library_description", l.description());
        return new DeviceInfo(Pkcs11DriverProvider.ID, nonBlank(t.manufacturer()), nonBlank(t.model()), nonBlank(t.serial()),
            t.firmwareVersion(), l.manufacturer() + " " + l.libraryVersion(), details);
      } catch (HsmException e) {
        details.put("token_info", "unavailable: " + e.getMessage());
      }
    } else {
      details.put("token_info", "unavailable: run the JVM with " + WrapperAccess.ADD_EXPORTS);
    }
    return new DeviceInfo(Pkcs11DriverProvider.ID, "unknown", "unknown", "unknown", "unknown", "unknown", details);
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? "unknown" : s;
  }

  /** Capabilities from the services SunPKCS11 registered, which follow the token's mechanism list. */
  private static Set<Capability> readCapabilities(Provider p, boolean allowImport) {
    EnumSet<Capability> c = EnumSet.noneOf(Capability.class);
    boolean aesGen = has(p, "KeyGenerator", "AES");
    boolean gcm = has(p, "Cipher", GCM);
    boolean ecGen = has(p, "KeyPairGenerator", "EC");
    boolean ecdsa = has(p, "Signature", ECDSA);
    boolean rsaGen = has(p, "KeyPairGenerator", "RSA");
    boolean keyStore = has(p, "KeyStore", "PKCS11");
    if (aesGen && keyStore) {
      c.add(Capability.GENERATE_AES_256);
    }
    if (gcm) {
      c.add(Capability.SEAL_AES_GCM);
    }
    if (ecGen && ecdsa && keyStore) {
      c.add(Capability.GENERATE_EC_P256); // the placeholder certificate is signed with ECDSA on the token
    }
    if (ecdsa) {
      c.add(Capability.SIGN_ECDSA_P256);
    }
    if (has(p, "KeyAgreement", "ECDH")) {
      c.add(Capability.ECDH_P256);
    }
    if (rsaGen && has(p, "Signature", "SHA256withRSA") && keyStore) {
      c.add(Capability.GENERATE_RSA_2048);
    }
    if (has(p, "Signature", RSA_PSS)) {
      c.add(Capability.SIGN_RSA_PSS);
    }
    if (has(p, "SecureRandom", "PKCS11")) {
      c.add(Capability.RANDOM);
    }
    if (keyStore) {
      c.add(Capability.PERSISTENT_KEYS);
    }
    if (allowImport && has(p, "KeyFactory", "EC")) {
      c.add(Capability.INSECURE_TEST_KEY_IMPORT);
    }
    // SunPKCS11 (JDK 17) has no EdDSA: GENERATE_ED25519 / SIGN_ED25519 are never reported.
    return Set.copyOf(c);
  }

  private static boolean has(Provider p, String type, String alg) {
    return p.getService(type, alg) != null;
  }

  private void require(Capability c) throws HsmFatalException {
    if (!capabilities.contains(c)) {
      throw new HsmFatalException(Kind.UNSUPPORTED, "this token (through SunPKCS11) lacks " + c);
    }
  }

  @Override
  public DeviceInfo describe() throws HsmException {
    if (gate.isClosed()) {
      throw new HsmFatalException(Kind.CLOSED, "pkcs11 driver is closed");
    }
    return info;
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public KeyHandle generateKey(KeySpec spec, String label) throws HsmException {
    Objects.requireNonNull(spec, "spec");
    KeyLabels.validate(label);
    require(spec.generateCapability());
    try (SessionGate.Permit p = gate.acquire()) {
      synchronized (keyStoreLock) {
        if (cache.containsKey(label) || keyStore.containsAlias(label)) {
          throw new HsmFatalException(Kind.KEY_EXISTS, "a key labelled '" + label + "' already exists on the token");
        }
        switch (spec) {
          case AES_256 -> {
            KeyGenerator g = KeyGenerator.getInstance("AES", provider);
            g.init(256);
            keyStore.setEntry(label, new KeyStore.SecretKeyEntry(g.generateKey()), null);
          }
          case EC_P256 -> {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
            g.initialize(new ECGenParameterSpec("secp256r1"));
            storePair(label, g.generateKeyPair(), ECDSA);
          }
          case RSA_2048 -> {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", provider);
            g.initialize(2048);
            storePair(label, g.generateKeyPair(), "SHA256withRSA");
          }
          default -> throw new HsmFatalException(Kind.UNSUPPORTED, "cannot generate " + spec + " through SunPKCS11");
        }
        return load(label).orElseThrow(() -> new HsmFatalException(Kind.DEVICE_ERROR,
            "key '" + label + "' was stored but cannot be found again")).handle();
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("key generation (" + spec + ") failed", e, Kind.DEVICE_ERROR);
    }
  }

  private void storePair(String label, KeyPair pair, String certAlg) throws GeneralSecurityException {
    Certificate cert = SelfSignedCertificates.create(label, pair, certAlg, provider);
    keyStore.setEntry(label, new KeyStore.PrivateKeyEntry(pair.getPrivate(), new Certificate[] {cert}), null);
  }

  @Override
  public KeyHandle importKeyPairInsecureTestOnly(KeySpec spec, String label, KeyPair pair) throws HsmException {
    if (!capabilities.contains(Capability.INSECURE_TEST_KEY_IMPORT)) {
      throw new HsmFatalException(Kind.UNSUPPORTED, "test key import is disabled (insecure_test_key_import: false)");
    }
    KeyLabels.validate(label);
    if (spec != KeySpec.EC_P256 || !(pair.getPrivate() instanceof ECPrivateKey) || !(pair.getPublic() instanceof ECPublicKey)) {
      throw new HsmFatalException(Kind.UNSUPPORTED, "test key import supports EC_P256 key pairs only");
    }
    try (SessionGate.Permit p = gate.acquire()) {
      Key priv = KeyFactory.getInstance("EC", provider).translateKey(pair.getPrivate()); // a session object
      Entry e = new Entry(KeyHandle.of(label, spec, fingerprint(pair.getPublic())), priv, pair.getPublic());
      synchronized (keyStoreLock) {
        if (cache.containsKey(label) || keyStore.containsAlias(label)) {
          throw new HsmFatalException(Kind.KEY_EXISTS, "a key labelled '" + label + "' already exists");
        }
        cache.put(label, e);
      }
      return e.handle();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("test key import failed", e, Kind.DEVICE_ERROR);
    }
  }

  @Override
  public Optional<KeyHandle> findKey(String label) throws HsmException {
    KeyLabels.validate(label);
    try (SessionGate.Permit p = gate.acquire()) {
      return load(label).map(Entry::handle);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("key lookup failed", e, Kind.DEVICE_ERROR);
    }
  }

  /** The cached entry for {@code label}, loading it from the token on first use. */
  private Optional<Entry> load(String label) throws GeneralSecurityException, HsmException {
    Entry e = cache.get(label);
    if (e != null) {
      return Optional.of(e);
    }
    synchronized (keyStoreLock) {
      e = cache.get(label);
      if (e != null) {
        return Optional.of(e);
      }
      if (!keyStore.containsAlias(label)) {
        return Optional.empty();
      }
      Key key = keyStore.getKey(label, null);
      if (key instanceof SecretKey sk && "AES".equalsIgnoreCase(sk.getAlgorithm())) {
        e = new Entry(KeyHandle.of(label, KeySpec.AES_256, checkValue(sk)), sk, null);
      } else if (key instanceof PrivateKey pk) {
        Certificate cert = keyStore.getCertificate(label);
        if (cert == null) {
          return Optional.empty();
        }
        PublicKey pub = cert.getPublicKey();
        KeySpec spec = switch (pk.getAlgorithm()) {
          case "EC" -> KeySpec.EC_P256;
          case "RSA" -> KeySpec.RSA_2048;
          default -> null;
        };
        if (spec == null) {
          return Optional.empty();
        }
        e = new Entry(KeyHandle.of(label, spec, fingerprint(pub)), pk, pub);
      } else {
        return Optional.empty();
      }
      cache.put(label, e);
      return Optional.of(e);
    }
  }

  /** Key id of an AES key: the GCM tag of nothing under a zero nonce, E_K(0^96 || 1), the usual key check value. */
  private String checkValue(SecretKey key) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance(GCM, provider);
    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, new byte[12]));
    // Never Cipher.doFinal() without an array: JDK 17's P11AEADCipher passes null to C_Encrypt and the JVM crashes.
    return "kcv:" + HexFormat.of().formatHex(Arrays.copyOf(c.doFinal(new byte[0]), 8));
  }

  private static String fingerprint(PublicKey pub) throws GeneralSecurityException {
    return "spki-sha256:" + HexFormat.of().formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(pub.getEncoded()), 16));
  }

  private Entry resolve(KeyHandle h, KeySpec... allowed) throws HsmException, GeneralSecurityException {
    Objects.requireNonNull(h, "key");
    Entry e = load(h.label()).orElse(null);
    if (e == null || !e.handle().keyId().equals(h.keyId())) {
      throw new HsmFatalException(Kind.KEY_NOT_FOUND, "no key " + h.label() + " with id " + h.keyId() + " on this token");
    }
    for (KeySpec s : allowed) {
      if (e.handle().spec() == s) {
        return e;
      }
    }
    throw new HsmFatalException(Kind.WRONG_KEY_TYPE, "key " + h.label() + " is " + e.handle().spec()
        + "; this operation needs " + Arrays.toString(allowed));
  }

  @Override
  public byte[] seal(KeyHandle key, byte[] plaintext, byte[] aad) throws HsmException {
    requireInput(plaintext, "plaintext");
    requireInput(aad, "aad");
    require(Capability.SEAL_AES_GCM);
    try (SessionGate.Permit p = gate.acquire()) {
      Entry e = resolve(key, KeySpec.AES_256);
      byte[] nonce = new byte[SealedBlob.NONCE_LENGTH];
      nonces.nextBytes(nonce);
      Cipher c = Cipher.getInstance(GCM, provider);
      c.init(Cipher.ENCRYPT_MODE, e.key(), new GCMParameterSpec(SealedBlob.TAG_LENGTH * 8, nonce));
      c.updateAAD(aad);
      return new SealedBlob(nonce, c.doFinal(plaintext)).encode();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("seal failed", e, Kind.DEVICE_ERROR);
    }
  }

  @Override
  public byte[] unseal(KeyHandle key, byte[] sealed, byte[] aad) throws HsmException {
    requireInput(aad, "aad");
    require(Capability.SEAL_AES_GCM);
    try (SessionGate.Permit p = gate.acquire()) {
      Entry e = resolve(key, KeySpec.AES_256);
      SealedBlob blob = SealedBlob.decode(sealed);
      Cipher c = Cipher.getInstance(GCM, provider);
      c.init(Cipher.DECRYPT_MODE, e.key(), new GCMParameterSpec(SealedBlob.TAG_LENGTH * 8, blob.nonce()));
      c.updateAAD(aad);
      return c.doFinal(blob.ciphertextAndTag());
    } catch (AEADBadTagException e) {
      // SoftHSM2 reports a failed tag as CKR_GENERAL_ERROR; the JCA type is what tells us it was the tag.
      Optional<String> ckr = CkrErrors.ckrName(e);
      throw new HsmFatalException(Kind.INTEGRITY, "sealed data failed authentication (tampered, wrong key or wrong aad)",
          ckr.map(CkrErrors.CODES::get).orElse(null), ckr.orElse(null), null);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("unseal failed", e, Kind.DEVICE_ERROR);
    }
  }

  @Override
  public byte[] sign(KeyHandle key, byte[] message) throws HsmException {
    requireInput(message, "message");
    try (SessionGate.Permit p = gate.acquire()) {
      Entry e = resolve(key, KeySpec.EC_P256, KeySpec.RSA_2048);
      Signature s;
      if (e.handle().spec() == KeySpec.EC_P256) {
        require(Capability.SIGN_ECDSA_P256);
        s = Signature.getInstance(ECDSA, provider);
      } else {
        require(Capability.SIGN_RSA_PSS);
        s = Signature.getInstance(RSA_PSS, provider);
        s.setParameter(PSS);
      }
      s.initSign((PrivateKey) e.key());
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("sign failed", e, Kind.DEVICE_ERROR);
    }
  }

  @Override
  public byte[] ecdh(KeyHandle key, byte[] peerPoint) throws HsmException {
    ECPublicKey peer = P256Points.decodeUncompressed(peerPoint);
    require(Capability.ECDH_P256);
    try (SessionGate.Permit p = gate.acquire()) {
      Entry e = resolve(key, KeySpec.EC_P256);
      KeyAgreement ka = KeyAgreement.getInstance("ECDH", provider);
      ka.init(e.key());
      ka.doPhase(peer, true);
      byte[] z = ka.generateSecret();
      if (z.length != 32) {
        Arrays.fill(z, (byte) 0);
        throw new HsmFatalException(Kind.DEVICE_ERROR, "token returned a " + z.length + "-byte ECDH secret");
      }
      return z;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("ECDH failed", e, Kind.DEVICE_ERROR);
    }
  }

  @Override
  public PublicKey publicKey(KeyHandle key) throws HsmException {
    try (SessionGate.Permit p = gate.acquire()) {
      return resolve(key, KeySpec.EC_P256, KeySpec.RSA_2048).publicKey();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("public key lookup failed", e, Kind.DEVICE_ERROR);
    }
  }

  @Override
  public byte[] random(int n) throws HsmException {
    if (n < 0 || n > MAX_RANDOM) {
      throw new HsmFatalException(Kind.INVALID_INPUT, "random length must be 0.." + MAX_RANDOM + ", got " + n);
    }
    require(Capability.RANDOM);
    try (SessionGate.Permit p = gate.acquire()) {
      byte[] b = new byte[n];
      if (n > 0) {
        SecureRandom.getInstance("PKCS11", provider).nextBytes(b);
      }
      return b;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("random failed", e, Kind.DEVICE_ERROR);
    }
  }

  @Override
  public int maxConcurrentSessions() {
    return gate.permits();
  }

  /** The session gate (tests: back-pressure). */
  SessionGate gate() {
    return gate;
  }

  /** The token key object behind {@code h} (tests: extractability checks). */
  Key tokenKey(KeyHandle h) throws HsmException, GeneralSecurityException {
    return resolve(h, KeySpec.values()).key();
  }

  /** The SunPKCS11 provider instance (tests). */
  Provider provider() {
    return provider;
  }

  /** Whether close logged out and let SunPKCS11 close this token's sessions (false while another driver in this JVM uses the token). */
  boolean tokenReleased() {
    return tokenReleased;
  }

  @Override
  public void close() {
    if (gate.isClosed()) {
      return;
    }
    if (!gate.close(Duration.ofSeconds(10))) {
      LOG.warn("pkcs11 driver closed with calls still in progress");
    }
    cache.clear();
    if (TokenLogins.release(tokenKey)) {
      try {
        ((AuthProvider) provider).logout(); // destroyTokenAfterLogout: SunPKCS11 closes its sessions
        tokenReleased = true;
      } catch (Exception e) {
        LOG.warn("pkcs11 logout failed: {}", CkrErrors.ckrName(e).orElse(e.getClass().getSimpleName()));
      }
    }
  }

  private static void requireInput(byte[] b, String name) throws HsmFatalException {
    if (b == null) {
      throw new HsmFatalException(Kind.INVALID_INPUT, name + " must not be null");
    }
  }

  @Override
  public String toString() {
    return "Pkcs11Driver[" + config.library() + ", " + config.slot() + "]";
  }
}
