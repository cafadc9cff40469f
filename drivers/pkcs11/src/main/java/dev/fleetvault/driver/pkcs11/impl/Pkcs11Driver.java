package dev.fleetvault.driver.pkcs11.impl;

import dev.fleetvault.driver.pkcs11.Pkcs11Config;
import dev.fleetvault.driver.pkcs11.Pkcs11DriverProvider;
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
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PKCS#11 driver over a SunPKCS11 provider instance configured for one slot. Keys live on the
 * token under their labels ({@link TokenKeys}); calls are bounded by a {@link SessionGate} of
 * {@code max_sessions}, so SunPKCS11 never has more operation sessions busy than that.
 */
@SuppressWarnings("try") // permits are held for the duration of a call without being referenced
public final class Pkcs11Driver extends AbstractHsmDriver implements InsecureTestKeyImport {

  private static final Logger LOG = LoggerFactory.getLogger(Pkcs11Driver.class);
  private static final PSSParameterSpec PSS =
      new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

  private final Pkcs11Config config;
  private final Provider provider;
  private final TokenKeys keys;
  private final SessionGate gate;
  private final String tokenKey;
  private final DeviceInfo info;
  private final long slotId;
  private final SecureRandom nonces = new SecureRandom();
  private volatile boolean tokenReleased;

  private Pkcs11Driver(
      Pkcs11Config config,
      Provider provider,
      KeyStore keyStore,
      String tokenKey,
      DeviceInfo info,
      long slotId) {
    super(Pkcs11DriverProvider.ID, capabilities(provider, config, slotId));
    this.config = config;
    this.slotId = slotId;
    this.provider = provider;
    this.keys = new TokenKeys(provider, keyStore);
    this.tokenKey = tokenKey;
    this.info = info;
    this.gate =
        new SessionGate(Pkcs11DriverProvider.ID, config.maxSessions(), config.borrowTimeout());
  }

  private static Set<Capability> capabilities(Provider provider, Pkcs11Config config, long slotId) {
    java.util.EnumSet<Capability> caps = java.util.EnumSet.noneOf(Capability.class);
    caps.addAll(Pkcs11Capabilities.read(provider, config.insecureTestKeyImport()));
    if (slotId >= 0 && WrapperAccess.available()) {
      caps.add(
          Capability
              .KEY_PROVENANCE); // attributes are read through the wrapper, which needs the slot id
    }
    return caps;
  }

  /**
   * Configures SunPKCS11 for the selected slot, logs in with {@code pin} (wiped here) and returns
   * the driver.
   */
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
        throw new HsmFatalException(
            Kind.CONFIG,
            "key 'token_label' needs the JVM option "
                + WrapperAccess.ADD_EXPORTS
                + " to read token labels; add it, or configure slot / slot_index instead");
      }
      slotId = WrapperAccess.slotByTokenLabel(config.library(), t.label(), "pkcs11 settings");
      slotLine = "slot = " + slotId;
    }
    Provider provider;
    try {
      provider =
          Security.getProvider("SunPKCS11")
              .configure(
                  SunPkcs11ConfigText.build(
                      config.library(), slotLine, config.insecureTestKeyImport()));
    } catch (RuntimeException e) {
      throw CkrErrors.map(
          "cannot configure SunPKCS11 for " + config.library() + " (" + slotLine + ")",
          e,
          Kind.CONFIG);
    }
    KeyStore ks;
    char[] p = pin.copyChars();
    try {
      ks = KeyStore.getInstance("PKCS11", provider);
      ks.load(null, p);
    } catch (Exception e) {
      throw CkrErrors.map("login to PKCS#11 token failed", e, Kind.AUTHENTICATION);
    } finally {
      Arrays.fill(p, '\0');
      pin.wipe();
    }
    String tokenKey = config.library() + "#" + (slotId >= 0 ? "slot" + slotId : slotLine);
    TokenLogins.acquire(tokenKey);
    Pkcs11Driver d =
        new Pkcs11Driver(
            config,
            provider,
            ks,
            tokenKey,
            DeviceFacts.describe(config, provider, slotId, wrapper),
            slotId);
    LOG.info(
        "HSM driver 'pkcs11' opened: {} {} serial {} ({}), capabilities {}",
        d.info.vendor(),
        d.info.model(),
        d.info.serial(),
        slotLine,
        d.capabilities());
    return d;
  }

  @Override
  protected String lacks(Capability c) {
    return "this token (through SunPKCS11) lacks " + c;
  }

  @Override
  public DeviceInfo describe() throws HsmException {
    requireOpen();
    return info;
  }

  @Override
  public KeyHandle generateKey(KeySpec spec, String label) throws HsmException {
    Objects.requireNonNull(spec, "spec");
    requireLabel(label);
    require(spec.generateCapability());
    try (SessionGate.Permit p = gate.acquire()) {
      return keys.generate(spec, label);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("key generation (" + spec + ") failed", e, Kind.DEVICE_ERROR);
    }
  }

  @Override
  public KeyHandle importKeyPairInsecureTestOnly(KeySpec spec, String label, KeyPair pair)
      throws HsmException {
    requireTestImport(spec, label, pair);
    try (SessionGate.Permit p = gate.acquire()) {
      return keys.importSessionPair(spec, label, pair);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("test key import failed", e, Kind.DEVICE_ERROR);
    }
  }

  @Override
  public Optional<KeyHandle> findKey(String label) throws HsmException {
    requireLabel(label);
    try (SessionGate.Permit p = gate.acquire()) {
      return keys.load(label).map(TokenKeys.Entry::handle);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("key lookup failed", e, Kind.DEVICE_ERROR);
    }
  }

  @Override
  public byte[] seal(KeyHandle key, byte[] plaintext, byte[] aad) throws HsmException {
    requireInput(plaintext, "plaintext");
    requireInput(aad, "aad");
    Objects.requireNonNull(key, "key");
    require(Capability.SEAL_AES_GCM);
    try (SessionGate.Permit p = gate.acquire()) {
      TokenKeys.Entry e = keys.resolve(key, KeySpec.AES_256);
      byte[] nonce = new byte[SealedBlob.NONCE_LENGTH];
      nonces.nextBytes(nonce);
      Cipher c = Cipher.getInstance(Pkcs11Capabilities.GCM, provider);
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
    Objects.requireNonNull(key, "key");
    require(Capability.SEAL_AES_GCM);
    try (SessionGate.Permit p = gate.acquire()) {
      TokenKeys.Entry e = keys.resolve(key, KeySpec.AES_256);
      SealedBlob blob = SealedBlob.decode(sealed);
      Cipher c = Cipher.getInstance(Pkcs11Capabilities.GCM, provider);
      c.init(
          Cipher.DECRYPT_MODE,
          e.key(),
          new GCMParameterSpec(SealedBlob.TAG_LENGTH * 8, blob.nonce()));
      c.updateAAD(aad);
      return c.doFinal(blob.ciphertextAndTag());
    } catch (AEADBadTagException e) {
      // SoftHSM2 reports a failed tag as CKR_GENERAL_ERROR; the JCA type is what says it was the
      // tag.
      Optional<String> ckr = CkrErrors.ckrName(e);
      throw new HsmFatalException(
          Kind.INTEGRITY,
          "sealed data failed authentication (tampered, wrong key or wrong aad)",
          ckr.map(CkrErrors.CODES::get).orElse(null),
          ckr.orElse(null),
          null);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("unseal failed", e, Kind.DEVICE_ERROR);
    }
  }

  @Override
  public byte[] sign(KeyHandle key, byte[] message) throws HsmException {
    requireInput(message, "message");
    Objects.requireNonNull(key, "key");
    requireSign(key.spec()); // an absent capability is refused before the handle is looked at
    try (SessionGate.Permit p = gate.acquire()) {
      TokenKeys.Entry e = keys.resolve(key, KeySpec.EC_P256, KeySpec.RSA_2048);
      Signature s;
      if (e.handle().spec() == KeySpec.EC_P256) {
        require(Capability.SIGN_ECDSA_P256);
        s = Signature.getInstance(Pkcs11Capabilities.ECDSA, provider);
      } else {
        require(Capability.SIGN_RSA_PSS);
        s = Signature.getInstance(Pkcs11Capabilities.RSA_PSS, provider);
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
    require(
        Capability
            .ECDH_P256); // before the point is decoded: an absent capability is always UNSUPPORTED
    ECPublicKey peer = P256Points.decodeUncompressed(peerPoint);
    Objects.requireNonNull(key, "key");
    try (SessionGate.Permit p = gate.acquire()) {
      TokenKeys.Entry e = keys.resolve(key, KeySpec.EC_P256);
      KeyAgreement ka = KeyAgreement.getInstance("ECDH", provider);
      ka.init(e.key());
      ka.doPhase(peer, true);
      byte[] z = ka.generateSecret();
      if (z.length != 32) {
        Arrays.fill(z, (byte) 0);
        throw new HsmFatalException(
            Kind.DEVICE_ERROR, "token returned a " + z.length + "-byte ECDH secret");
      }
      return z;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("ECDH failed", e, Kind.DEVICE_ERROR);
    }
  }

  @Override
  public PublicKey publicKey(KeyHandle key) throws HsmException {
    Objects.requireNonNull(key, "key");
    try (SessionGate.Permit p = gate.acquire()) {
      return keys.resolve(key, KeySpec.EC_P256, KeySpec.RSA_2048).publicKey();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("public key lookup failed", e, Kind.DEVICE_ERROR);
    }
  }

  @Override
  public byte[] random(int n) throws HsmException {
    requireRandomLength(n);
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

  /**
   * Reads the token's own {@code CKA_LOCAL}, {@code CKA_NEVER_EXTRACTABLE}, {@code
   * CKA_ALWAYS_SENSITIVE} and {@code CKA_EXTRACTABLE} (and {@code CKA_SENSITIVE}, {@code
   * CKA_TOKEN}, {@code CKA_PRIVATE}, {@code CKA_MODIFIABLE}) of the private or secret key object
   * behind {@code key} with {@code C_GetAttributeValue}. A boolean the token does not report counts
   * as the unsafe answer (not local, extractable). Needs the JVM option {@value
   * WrapperAccess#ADD_EXPORTS} and a known slot id; otherwise UNSUPPORTED.
   */
  @Override
  public dev.fleetvault.driver.spi.KeyProvenance keyProvenance(KeyHandle key) throws HsmException {
    Objects.requireNonNull(key, "key");
    require(Capability.KEY_PROVENANCE);
    try (SessionGate.Permit p = gate.acquire()) {
      TokenKeys.Entry e = keys.resolve(key, KeySpec.values());
      long objectClass = e.handle().spec() == KeySpec.AES_256 ? 4L : 3L;
      WrapperAccess.KeyObjectFacts f =
          WrapperAccess.keyObject(config.library(), slotId, objectClass, key.label());
      java.util.Map<String, String> raw = new java.util.LinkedHashMap<>();
      f.attributes().forEach((k, v) -> raw.put(k, Boolean.toString(v)));
      raw.put("object_class", objectClass == 4L ? "CKO_SECRET_KEY" : "CKO_PRIVATE_KEY");
      raw.put("matched_by", f.matchedBy());
      java.util.Map<String, Boolean> a = f.attributes();
      return new dev.fleetvault.driver.spi.KeyProvenance(
          key.label(),
          e.handle().spec(),
          a.getOrDefault("CKA_LOCAL", false),
          a.getOrDefault("CKA_NEVER_EXTRACTABLE", false),
          a.getOrDefault("CKA_ALWAYS_SENSITIVE", false),
          a.getOrDefault("CKA_EXTRACTABLE", true),
          "PKCS#11 C_GetAttributeValue on the token object ("
              + info.vendor()
              + " "
              + info.model()
              + ", serial "
              + info.serial()
              + ", slot "
              + slotId
              + ")",
          raw);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CkrErrors.map("reading key attributes failed", e, Kind.DEVICE_ERROR);
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
    return keys.resolve(h, KeySpec.values()).key();
  }

  /** The SunPKCS11 provider instance (tests). */
  Provider provider() {
    return provider;
  }

  /**
   * Whether close logged out and let SunPKCS11 close this token's sessions (not while another
   * driver in this JVM uses the token).
   */
  boolean tokenReleased() {
    return tokenReleased;
  }

  @Override
  public void close() {
    if (!markClosed()) {
      return;
    }
    if (!gate.close(Duration.ofSeconds(10))) {
      LOG.warn("pkcs11 driver closed with calls still in progress");
    }
    keys.clear();
    if (TokenLogins.release(tokenKey)) {
      try {
        ((AuthProvider) provider)
            .logout(); // destroyTokenAfterLogout: SunPKCS11 closes its sessions
        tokenReleased = true;
      } catch (Exception e) {
        LOG.warn(
            "pkcs11 logout failed: {}", CkrErrors.ckrName(e).orElse(e.getClass().getSimpleName()));
      }
    }
  }

  @Override
  public String toString() {
    return "Pkcs11Driver[" + config.library() + ", " + config.slot() + "]";
  }
}
