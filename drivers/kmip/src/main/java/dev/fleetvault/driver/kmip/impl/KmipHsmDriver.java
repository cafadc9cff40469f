package dev.fleetvault.driver.kmip.impl;

import dev.fleetvault.driver.kmip.KmipDriverConfig;
import dev.fleetvault.driver.kmip.KmipDriverProvider;
import dev.fleetvault.driver.kmip.client.Attribute;
import dev.fleetvault.driver.kmip.client.BatchItem;
import dev.fleetvault.driver.kmip.client.BatchResult;
import dev.fleetvault.driver.kmip.client.CryptographicParameters;
import dev.fleetvault.driver.kmip.client.EncryptResult;
import dev.fleetvault.driver.kmip.client.KeyPairIds;
import dev.fleetvault.driver.kmip.client.KmipClient;
import dev.fleetvault.driver.kmip.client.KmipClientConfig;
import dev.fleetvault.driver.kmip.client.KmipException;
import dev.fleetvault.driver.kmip.client.KmipTls;
import dev.fleetvault.driver.kmip.client.ProtocolVersion;
import dev.fleetvault.driver.kmip.client.QueryResult;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.CryptographicAlgorithm;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ObjectType;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.Operation;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.QueryFunction;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.UsageMask;
import dev.fleetvault.driver.spi.AbstractHsmDriver;
import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.DeviceInfo;
import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmException.Kind;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.SealedBlob;
import dev.fleetvault.driver.spi.SecretChars;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * The {@code kmip} {@link HsmDriver}: every key lives on the KMIP server and never leaves it.
 *
 * <p>Seal is KMIP Encrypt with AES-256-GCM (a 12-byte nonce from this process's {@link
 * SecureRandom}, the caller's associated data and a 16-byte tag in the KMIP 1.4 fields), in the
 * SPI's {@link SealedBlob} layout. Signing is KMIP Sign with RSASSA-PSS; each signature is verified
 * locally against the key's public key (salt length 32) before it is returned, so a server that
 * signs differently is caught, never passed on. Capabilities come from Query and the start-up
 * probes in {@link ServerProbe}. EC key pairs, ECDSA, Ed25519 and ECDH are not offered (not
 * implemented for KMIP: no test server here speaks them).
 */
public final class KmipHsmDriver extends AbstractHsmDriver {
  private static final int MAX_SEAL_BYTES = 512 * 1024;
  private static final int LOCK_STRIPES = 64;

  private final KmipClient client;
  private final KmipDriverConfig config;
  private final DeviceInfo info;
  private final ServerProbe.PssMode pssMode;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, PublicKey> publicKeys = new ConcurrentHashMap<>();
  private final Object[] labelLocks = new Object[LOCK_STRIPES];

  private KmipHsmDriver(
      KmipClient client,
      KmipDriverConfig config,
      Set<Capability> capabilities,
      DeviceInfo info,
      ServerProbe.PssMode pssMode) {
    super(KmipDriverProvider.ID, capabilities);
    this.client = client;
    this.config = config;
    this.info = info;
    this.pssMode = pssMode;
    for (int i = 0; i < LOCK_STRIPES; i++) {
      labelLocks[i] = new Object();
    }
  }

  /** Connects, negotiates, queries and probes the server described by {@code settings}. */
  public static KmipHsmDriver open(DriverSettings settings) throws HsmException {
    KmipDriverConfig config = KmipDriverConfig.from(settings);
    SSLContext tls;
    try (SecretChars key = KmipDriverConfig.clientKey(settings)) {
      char[] pem = key.copyChars();
      try {
        tls =
            KmipTls.fromPem(
                config.clientCertificate(),
                pem,
                settings.sourceName() + ": client_key",
                config.caCertificate());
      } finally {
        Arrays.fill(pem, '\0');
      }
    } catch (IOException | GeneralSecurityException e) {
      throw DriverSettings.configError(
          settings.sourceName(),
          "client_certificate/client_key/ca_certificate",
          "cannot build the TLS client identity: " + e.getMessage());
    }
    KmipClientConfig.Builder ccb =
        KmipClientConfig.builder(config.host(), config.port(), tls)
            .verifyHostname(config.verifyHostname())
            .connectTimeout(config.connectTimeout())
            .operationTimeout(config.operationTimeout())
            .borrowTimeout(config.borrowTimeout())
            .maxConnections(config.maxSessions());
    Optional<String> user = KmipDriverConfig.username(settings);
    if (user.isPresent()) {
      try (SecretChars pw = KmipDriverConfig.password(settings).orElseThrow()) {
        char[] p = pw.copyChars();
        ccb.credential(user.get(), p);
        Arrays.fill(p, '\0');
      }
    }
    KmipClientConfig cc = ccb.build();
    KmipClient client;
    try {
      client = KmipClient.connect(cc);
    } catch (KmipException e) {
      throw ErrorMapper.map(e, false);
    }
    try {
      return start(client, config);
    } catch (HsmException | RuntimeException e) {
      client.close();
      throw e;
    } catch (KmipException e) {
      client.close();
      throw ErrorMapper.map(e, false);
    }
  }

  private static KmipHsmDriver start(KmipClient client, KmipDriverConfig config)
      throws KmipException, HsmException {
    QueryResult q =
        client.query(
            QueryFunction.QUERY_OPERATIONS,
            QueryFunction.QUERY_OBJECTS,
            QueryFunction.QUERY_SERVER_INFORMATION);
    Set<Operation> ops = q.operations();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("host", config.host() + ":" + config.port());
    details.put("kmip_protocol_version", client.protocolVersion().toString());
    q.serverInformation().ifPresent(s -> details.put("server_information", s));
    details.put(
        "server_operations",
        new java.util.TreeSet<>(ops.stream().map(Enum::name).toList()).toString());

    if (ops.contains(Operation.CREATE) && ops.contains(Operation.GET)) {
      String problem = ServerProbe.nonExtractableProblem(client);
      if (problem != null) {
        if (!config.insecureAllowExtractableKeys()) {
          throw new HsmFatalException(
              Kind.CONFIG,
              "KMIP server "
                  + config.host()
                  + ":"
                  + config.port()
                  + " cannot keep keys non-extractable: "
                  + problem
                  + ". Use a server that enforces"
                  + " Extractable=false; insecure_allow_extractable_keys: true is for test servers such as PyKMIP only");
        }
        details.put(
            "key_extraction", "POSSIBLE: " + problem + " (insecure_allow_extractable_keys)");
      } else {
        details.put("key_extraction", "refused by the server (Extractable=false, Sensitive=true)");
      }
    }

    Set<Capability> caps = EnumSet.noneOf(Capability.class);
    boolean lifecycle =
        ops.containsAll(List.of(Operation.LOCATE, Operation.GET_ATTRIBUTES, Operation.ACTIVATE));
    if (lifecycle && ops.contains(Operation.CREATE)) {
      caps.add(Capability.GENERATE_AES_256);
      caps.add(Capability.PERSISTENT_KEYS); // KMIP managed objects live on the server
      if (ops.contains(Operation.ENCRYPT)
          && ops.contains(Operation.DECRYPT)
          && client.protocolVersion().compareTo(ProtocolVersion.V1_4) >= 0) {
        caps.add(Capability.SEAL_AES_GCM);
      }
    }
    ServerProbe.PssMode pss = ServerProbe.PssMode.UNSUPPORTED;
    if (lifecycle && ops.contains(Operation.CREATE_KEY_PAIR) && ops.contains(Operation.GET)) {
      caps.add(Capability.GENERATE_RSA_2048);
      if (ops.contains(Operation.SIGN)) {
        pss =
            config.probeRsaPss() ? ServerProbe.rsaPss(client) : ServerProbe.PssMode.SERVER_DEFAULT;
        if (pss != ServerProbe.PssMode.UNSUPPORTED) {
          caps.add(Capability.SIGN_RSA_PSS);
        } else {
          details.put(
              "sign_rsa_pss", "absent: the server's RSA-PSS signatures do not use salt length 32");
        }
      }
    }
    if (ops.contains(Operation.RNG_RETRIEVE)) {
      caps.add(Capability.RANDOM);
    }
    details.put(
        "not_implemented",
        "EC P-256, Ed25519, ECDSA, ECDH (no KMIP test server here supports them)");
    String vendor = q.vendorIdentification().filter(v -> !v.isBlank()).orElse("unknown");
    DeviceInfo info =
        new DeviceInfo(
            KmipDriverProvider.ID,
            vendor,
            "KMIP server",
            "unknown",
            "unknown",
            "fleetvault-kmip (KMIP " + client.protocolVersion() + ")",
            details);
    return new KmipHsmDriver(client, config, caps, info, pss);
  }

  // ---- checks ----

  @Override
  protected String lacks(Capability c) {
    return "KMIP server " + info.vendor() + " lacks capability " + c;
  }

  private HsmException mapped(KmipException e) {
    if (isClosed()) {
      return new HsmFatalException(Kind.CLOSED, "kmip driver is closed", e);
    }
    return ErrorMapper.map(e, false);
  }

  // ---- HsmDriver ----

  @Override
  public DeviceInfo describe() throws HsmException {
    requireOpen();
    return info;
  }

  @Override
  public KeyHandle generateKey(KeySpec spec, String label) throws HsmException {
    requireOpen();
    requireInput(spec, "spec");
    requireLabel(label);
    require(spec.generateCapability());
    synchronized (labelLocks[Math.floorMod(label.hashCode(), LOCK_STRIPES)]) {
      try {
        if (!client.locateByName(label, 1).isEmpty()) {
          throw new HsmFatalException(
              Kind.KEY_EXISTS, "a key labelled " + label + " already exists");
        }
        List<Attribute> protect =
            config.insecureAllowExtractableKeys()
                ? List.of()
                : List.of(
                    Attribute.flag(Attribute.SENSITIVE, true),
                    Attribute.flag(Attribute.EXTRACTABLE, false));
        if (spec == KeySpec.AES_256) {
          return KeyHandle.of(label, spec, KeyIds.encode(createAes(label, protect), null));
        }
        KeyPairIds ids = createRsa(label, protect);
        return KeyHandle.of(label, spec, KeyIds.encode(ids.privateKeyId(), ids.publicKeyId()));
      } catch (KmipException e) {
        throw mapped(e);
      }
    }
  }

  private String createAes(String label, List<Attribute> protect) throws KmipException {
    List<Attribute> attrs =
        new ArrayList<>(
            List.of(
                Attribute.algorithm(CryptographicAlgorithm.AES),
                Attribute.length(256),
                Attribute.usageMask(UsageMask.ENCRYPT | UsageMask.DECRYPT),
                Attribute.name(label)));
    attrs.addAll(protect);
    String id = client.create(ObjectType.SYMMETRIC_KEY, attrs);
    activateAll(List.of(id));
    return id;
  }

  private KeyPairIds createRsa(String label, List<Attribute> protect) throws KmipException {
    List<Attribute> priv =
        new ArrayList<>(List.of(Attribute.usageMask(UsageMask.SIGN), Attribute.name(label)));
    priv.addAll(protect);
    KeyPairIds ids =
        client.createKeyPair(
            List.of(Attribute.algorithm(CryptographicAlgorithm.RSA), Attribute.length(2048)),
            priv,
            List.of(Attribute.usageMask(UsageMask.VERIFY), Attribute.name(label)));
    activateAll(List.of(ids.privateKeyId(), ids.publicKeyId()));
    return ids;
  }

  private void activateAll(List<String> ids) throws KmipException {
    List<BatchItem> items = ids.stream().map(KmipClient::activateItem).toList();
    try {
      for (BatchResult r : client.batch(items, true)) {
        r.payloadOrThrow();
      }
    } catch (KmipException e) {
      ids.forEach(
          id ->
              ServerProbe.destroyQuietly(
                  client, id)); // do not leave a half-made key under the label
      throw e;
    }
  }

  @Override
  public Optional<KeyHandle> findKey(String label) throws HsmException {
    requireOpen();
    requireLabel(label);
    try {
      return KeyLookup.find(client, label);
    } catch (KmipException e) {
      throw mapped(e);
    }
  }

  private KeyIds aesKey(KeyHandle key) throws HsmFatalException {
    requireInput(key, "key");
    KeyIds ids = KeyIds.of(key);
    if (key.spec() != KeySpec.AES_256) {
      throw new HsmFatalException(
          Kind.WRONG_KEY_TYPE, "key " + key.label() + " is " + key.spec() + ", not AES_256");
    }
    return ids;
  }

  @Override
  public byte[] seal(KeyHandle key, byte[] plaintext, byte[] aad) throws HsmException {
    requireOpen();
    require(
        Capability.SEAL_AES_GCM); // an absent capability is refused before the handle is looked at
    KeyIds ids = aesKey(key);
    requireInput(plaintext, "plaintext");
    requireInput(aad, "aad");
    if (plaintext.length > MAX_SEAL_BYTES) {
      throw new HsmFatalException(
          Kind.INVALID_INPUT, "at most " + MAX_SEAL_BYTES + " bytes can be sealed at once");
    }
    byte[] nonce = new byte[SealedBlob.NONCE_LENGTH];
    random.nextBytes(nonce);
    EncryptResult r;
    try {
      r =
          client.encrypt(
              ids.primary(),
              CryptographicParameters.aesGcm(SealedBlob.TAG_LENGTH),
              plaintext,
              nonce,
              aad);
    } catch (KmipException e) {
      throw mapped(e);
    }
    if (r.tag() == null
        || r.tag().length != SealedBlob.TAG_LENGTH
        || r.data().length != plaintext.length
        || (r.iv() != null && !Arrays.equals(r.iv(), nonce))) {
      throw new HsmFatalException(
          Kind.DEVICE_ERROR, "KMIP server answered Encrypt with an unexpected shape");
    }
    byte[] ctTag = new byte[r.data().length + SealedBlob.TAG_LENGTH];
    System.arraycopy(r.data(), 0, ctTag, 0, r.data().length);
    System.arraycopy(r.tag(), 0, ctTag, r.data().length, SealedBlob.TAG_LENGTH);
    return new SealedBlob(nonce, ctTag).encode();
  }

  @Override
  public byte[] unseal(KeyHandle key, byte[] sealed, byte[] aad) throws HsmException {
    requireOpen();
    require(Capability.SEAL_AES_GCM);
    KeyIds ids = aesKey(key);
    requireInput(aad, "aad");
    SealedBlob blob = SealedBlob.decode(sealed);
    byte[] all = blob.ciphertextAndTag();
    int ctLen = all.length - SealedBlob.TAG_LENGTH;
    byte[] ct = Arrays.copyOfRange(all, 0, ctLen);
    byte[] tag = Arrays.copyOfRange(all, ctLen, all.length);
    try {
      byte[] pt =
          client.decrypt(
              ids.primary(),
              CryptographicParameters.aesGcm(SealedBlob.TAG_LENGTH),
              ct,
              blob.nonce(),
              aad,
              tag);
      if (pt.length != ctLen) {
        Arrays.fill(pt, (byte) 0);
        throw new HsmFatalException(
            Kind.DEVICE_ERROR, "KMIP server answered Decrypt with a wrong length");
      }
      return pt;
    } catch (KmipException e) {
      throw isClosed() ? mapped(e) : ErrorMapper.map(e, true);
    }
  }

  private KeyIds keyPair(KeyHandle key) throws HsmFatalException {
    requireInput(key, "key");
    KeyIds ids = KeyIds.of(key);
    if (key.spec() == KeySpec.AES_256) {
      throw new HsmFatalException(
          Kind.WRONG_KEY_TYPE, "key " + key.label() + " is AES_256, not a key pair");
    }
    if (key.spec() != KeySpec.RSA_2048) {
      throw new HsmFatalException(
          Kind.UNSUPPORTED, "the kmip driver has no " + key.spec() + " keys");
    }
    return ids;
  }

  @Override
  public byte[] sign(KeyHandle key, byte[] message) throws HsmException {
    requireOpen();
    requireInput(key, "key");
    requireSign(key.spec()); // an absent capability is refused before the handle is looked at
    KeyIds ids = keyPair(key);
    requireInput(message, "message");
    if (message.length > MAX_SEAL_BYTES) {
      throw new HsmFatalException(
          Kind.INVALID_INPUT, "at most " + MAX_SEAL_BYTES + " bytes can be signed at once");
    }
    PublicKey pub = publicKey(key);
    try {
      byte[] sig = client.sign(ids.primary(), ServerProbe.params(pssMode), message);
      if (!RsaPss.verify(pub, message, sig)) {
        throw new HsmFatalException(
            Kind.DEVICE_ERROR,
            "KMIP server returned an RSA-PSS signature that does not verify (salt length 32) for key "
                + key.label());
      }
      return sig;
    } catch (KmipException e) {
      throw mapped(e);
    } catch (GeneralSecurityException e) {
      throw new HsmFatalException(
          Kind.DEVICE_ERROR, "cannot verify the server's signature: " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] ecdh(KeyHandle key, byte[] peerPoint) throws HsmException {
    requireOpen();
    requireInput(key, "key");
    if (key.spec() != KeySpec.EC_P256) {
      KeyIds.of(key);
      throw new HsmFatalException(
          Kind.WRONG_KEY_TYPE, "ECDH needs an EC_P256 key, " + key.label() + " is " + key.spec());
    }
    throw new HsmFatalException(
        Kind.UNSUPPORTED, "the kmip driver has no ECDH (capability ECDH_P256 absent)");
  }

  @Override
  public PublicKey publicKey(KeyHandle key) throws HsmException {
    requireOpen();
    KeyIds ids = keyPair(key);
    PublicKey cached = publicKeys.get(ids.publicId());
    if (cached != null) {
      return cached;
    }
    try {
      PublicKey pk = PublicKeys.rsa(client.get(ids.publicId()));
      publicKeys.putIfAbsent(ids.publicId(), pk);
      return pk;
    } catch (KmipException e) {
      throw mapped(e);
    } catch (GeneralSecurityException e) {
      throw new HsmFatalException(
          Kind.DEVICE_ERROR, "KMIP server returned an unreadable public key: " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] random(int n) throws HsmException {
    requireOpen();
    requireRandomLength(n);
    require(Capability.RANDOM);
    if (n == 0) {
      return new byte[0];
    }
    try {
      return client.rngRetrieve(n);
    } catch (KmipException e) {
      throw mapped(e);
    }
  }

  /**
   * UNSUPPORTED: KMIP 1.x has no attribute that proves a key was generated by the server rather
   * than registered (imported), nor one that forbids export, and PyKMIP 0.10, the server this
   * driver is tested on, returns raw key bytes to Get. KMIP 2.0's {@code Sensitive}, {@code
   * Extractable}, {@code Never Extractable} and {@code Always Sensitive} attributes would answer
   * it; PyKMIP does not implement them. Deployment evidence therefore records "no provenance" for
   * KMIP members, and the default evidence policy refuses them.
   */
  @Override
  public dev.fleetvault.driver.spi.KeyProvenance keyProvenance(
      dev.fleetvault.driver.spi.KeyHandle key) throws dev.fleetvault.driver.spi.HsmException {
    throw new dev.fleetvault.driver.spi.HsmFatalException(
        dev.fleetvault.driver.spi.HsmException.Kind.UNSUPPORTED,
        "kmip: the server offers no attribute proving on-server generation or non-extractability "
            + "(KMIP 1.x has none; PyKMIP implements no KMIP 2.0 Extractable/Never Extractable)");
  }

  @Override
  public int maxConcurrentSessions() {
    return config.maxSessions();
  }

  /**
   * Connections currently open to the server (zero after {@link #close()} once calls have
   * finished).
   */
  public int openConnections() {
    return client.openConnections();
  }

  @Override
  public void close() {
    if (markClosed()) {
      client.close();
    }
  }
}
