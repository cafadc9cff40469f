package dev.fleetvault.driver.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every {@link HsmDriver} must meet. A driver's test extends this class and supplies
 * how to open the driver; tests that need a {@link Capability} the driver reports absent are
 * skipped with a printed reason (never silently), and every capability the driver reports is
 * exercised.
 *
 * <p>One driver instance (from {@link #openDriver()}) is shared by the class; tests that need
 * their own instance (persistence, close) call {@link #openFreshDriver(String)}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HsmDriverContractTest {

  private static final ECGenParameterSpec P256 = new ECGenParameterSpec("secp256r1");
  private static final BigInteger P256_N =
      new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
  private static final ASN1ObjectIdentifier SECP256R1 = new ASN1ObjectIdentifier("1.2.840.10045.3.1.7");
  private static final ASN1ObjectIdentifier EC_PUBLIC_KEY = new ASN1ObjectIdentifier("1.2.840.10045.2.1");
  private static final AtomicInteger LABELS = new AtomicInteger();

  /** The shared driver under test. */
  protected HsmDriver driver;
  private Set<Capability> caps;

  /** Opens the driver shared by this class's tests (with test key import enabled if the driver has it). */
  protected abstract HsmDriver openDriver() throws Exception;

  /**
   * Opens a new driver instance on storage named {@code name}; calling it again with the same
   * name (after closing the first) must reach the same keys where the driver has
   * {@link Capability#PERSISTENT_KEYS}.
   */
  protected abstract HsmDriver openFreshDriver(String name) throws Exception;

  /** Opens the driver with a wrong PIN / passphrase; must throw. */
  protected abstract HsmDriver openWithWrongCredential() throws Exception;

  /** The vendor error name a wrong credential must carry (for example {@code CKR_PIN_INCORRECT}). */
  protected abstract String expectedWrongCredentialVendorName();

  /** Asserts that the device refuses to reveal the secret/private part of {@code key} by any means the driver's backend offers. */
  protected abstract void assertNotExtractable(HsmDriver d, KeyHandle key) throws Exception;

  /** Asserts that the closed driver {@code closed} holds no sessions/handles any more. */
  protected abstract void assertSessionsReleased(HsmDriver closed) throws Exception;

  /** Operations each of the 16 threads runs in the concurrency test (each op = seal+unseal+sign+ecdh where supported). */
  protected int operationsPerThread() {
    return 20;
  }

  @BeforeAll
  void openSharedDriver() throws Exception {
    driver = openDriver();
    caps = driver.capabilities();
    System.out.println("[contract] driver " + driver.describe().driverId() + " capabilities: " + caps);
  }

  @AfterAll
  void closeSharedDriver() {
    if (driver != null) {
      driver.close();
    }
  }

  /** A fresh label unique to this run. */
  protected static String label(String prefix) {
    return prefix + "-" + LABELS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Skips (with a printed reason) unless the driver reports {@code c}. */
  protected void assumeCapability(Capability c) {
    if (!caps.contains(c)) {
      String msg = "driver '" + driver.getClass().getSimpleName() + "' reports no capability " + c + ": test skipped";
      System.out.println("[contract] SKIPPED: " + msg);
      Assumptions.assumeTrue(false, msg);
    }
  }

  private static void assertKind(HsmException.Kind kind, ThrowingRunnable r) {
    assertThatThrownBy(r::run).isInstanceOf(HsmException.class)
        .satisfies(e -> assertThat(((HsmException) e).kind()).as("kind of %s", e).isEqualTo(kind));
  }

  /** Like {@link Runnable} but may throw. */
  @FunctionalInterface
  protected interface ThrowingRunnable {
    void run() throws Exception;
  }

  // ---- description and keys ----

  @Test
  void describe_always_reportsDeviceFacts() throws Exception {
    DeviceInfo info = driver.describe();
    assertThat(List.of(info.driverId(), info.vendor(), info.model(), info.serial(), info.firmwareVersion(),
        info.libraryVersion())).allSatisfy(s -> assertThat(s).isNotBlank());
    assertThat(driver.maxConcurrentSessions()).isPositive();
  }

  /**
   * For each key type: a supported one is generated, found again by label, exports the right
   * public key type and (where the driver signs with it) signs verifiably; an unsupported one is
   * refused with UNSUPPORTED. Either way the outcome is printed, so a missing capability is reported.
   */
  @ParameterizedTest
  @EnumSource(KeySpec.class)
  void generateKey_eachSpec_usableOrRefusedAsUnsupported(KeySpec spec) throws Exception {
    if (!caps.contains(spec.generateCapability())) {
      assertKind(HsmException.Kind.UNSUPPORTED, () -> driver.generateKey(spec, label("nope")));
      System.out.println("[contract] capability " + spec.generateCapability() + " absent: checked that generateKey("
          + spec + ") is refused with UNSUPPORTED");
      return;
    }
    String l = label("gen-" + spec.name().toLowerCase(java.util.Locale.ROOT));
    KeyHandle h = driver.generateKey(spec, l);
    assertThat(h.label()).isEqualTo(l);
    assertThat(h.spec()).isEqualTo(spec);
    assertThat(driver.findKey(l)).contains(h);
    byte[] msg = ("message for " + spec).getBytes(StandardCharsets.UTF_8);
    switch (spec) {
      case AES_256 -> assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> driver.publicKey(h));
      case EC_P256 -> assertThat(driver.publicKey(h)).isInstanceOf(ECPublicKey.class);
      case ED25519 -> {
        assertThat(driver.publicKey(h)).isInstanceOf(EdECPublicKey.class);
        if (caps.contains(Capability.SIGN_ED25519)) {
          byte[] sig = driver.sign(h, msg);
          assertThat(sig).hasSize(64);
          assertThat(verify("Ed25519", driver.publicKey(h), msg, sig)).isTrue();
          assertThat(driver.sign(h, msg)).as("Ed25519 is deterministic").isEqualTo(sig);
        }
      }
      case RSA_2048 -> {
        assertThat(((RSAPublicKey) driver.publicKey(h)).getModulus().bitLength()).isEqualTo(2048);
        if (caps.contains(Capability.SIGN_RSA_PSS)) {
          byte[] sig = driver.sign(h, msg);
          Signature v = Signature.getInstance("RSASSA-PSS");
          v.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
          v.initVerify(driver.publicKey(h));
          v.update(msg);
          assertThat(v.verify(sig)).isTrue();
        }
      }
      default -> throw new AssertionError(spec);
    }
  }

  @Test
  void generateKey_existingLabel_keyExists() throws Exception {
    assumeCapability(Capability.GENERATE_AES_256);
    String l = label("dup");
    driver.generateKey(KeySpec.AES_256, l);
    assertKind(HsmException.Kind.KEY_EXISTS, () -> driver.generateKey(KeySpec.AES_256, l));
  }

  @Test
  void generateKey_invalidLabel_invalidInput() {
    for (String bad : new String[] {"", "has space", "x".repeat(65), "é", "a/b"}) {
      assertKind(HsmException.Kind.INVALID_INPUT, () -> driver.generateKey(KeySpec.AES_256, bad));
    }
  }

  @Test
  void findKey_unknownLabel_empty() throws Exception {
    assertThat(driver.findKey(label("absent"))).isEmpty();
  }

  @Test
  void operations_unknownHandle_keyNotFound() {
    KeyHandle ghost = KeyHandle.of(label("ghost"), KeySpec.AES_256, "00112233445566778899aabbccddeeff");
    assertKind(HsmException.Kind.KEY_NOT_FOUND, () -> driver.seal(ghost, new byte[1], new byte[0]));
    KeyHandle ghostEc = KeyHandle.of(label("ghost"), KeySpec.EC_P256, "00112233445566778899aabbccddeeff");
    assertKind(HsmException.Kind.KEY_NOT_FOUND, () -> driver.sign(ghostEc, new byte[1]));
  }

  @Test
  void keys_generated_notExtractable() throws Exception {
    assumeCapability(Capability.GENERATE_AES_256);
    assertNotExtractable(driver, driver.generateKey(KeySpec.AES_256, label("nx-aes")));
    if (caps.contains(Capability.GENERATE_EC_P256)) {
      assertNotExtractable(driver, driver.generateKey(KeySpec.EC_P256, label("nx-ec")));
    }
  }

  // ---- seal / unseal ----

  @Test
  void seal_thenUnseal_roundTrips() throws Exception {
    assumeCapability(Capability.SEAL_AES_GCM);
    KeyHandle k = driver.generateKey(KeySpec.AES_256, label("seal"));
    for (int len : new int[] {0, 1, 15, 16, 17, 64, 1000, 70_000}) {
      byte[] pt = new byte[len];
      Arrays.fill(pt, (byte) len);
      byte[] aad = ("aad-" + len).getBytes(StandardCharsets.UTF_8);
      byte[] sealed = driver.seal(k, pt, aad);
      assertThat(sealed).hasSize(len + 1 + SealedBlob.NONCE_LENGTH + SealedBlob.TAG_LENGTH);
      assertThat(driver.unseal(k, sealed, aad)).isEqualTo(pt);
    }
    assertThat(driver.unseal(k, driver.seal(k, new byte[] {7}, new byte[0]), new byte[0])).containsExactly(7);
  }

  @Test
  void seal_samePlaintextTwice_differentOutput() throws Exception {
    assumeCapability(Capability.SEAL_AES_GCM);
    KeyHandle k = driver.generateKey(KeySpec.AES_256, label("seal2"));
    byte[] pt = "same".getBytes(StandardCharsets.UTF_8);
    assertThat(driver.seal(k, pt, new byte[0])).isNotEqualTo(driver.seal(k, pt, new byte[0]));
  }

  @Test
  void unseal_anyByteFlipped_integrity() throws Exception {
    assumeCapability(Capability.SEAL_AES_GCM);
    KeyHandle k = driver.generateKey(KeySpec.AES_256, label("tamper"));
    byte[] aad = {1, 2, 3};
    byte[] sealed = driver.seal(k, "secret share".getBytes(StandardCharsets.UTF_8), aad);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < sealed.length; i++) {
      byte[] t = sealed.clone();
      t[i] ^= 0x01;
      try {
        driver.unseal(k, t, aad);
        failures.add("byte " + i + " flipped: accepted");
      } catch (HsmException e) {
        if (e.kind() != HsmException.Kind.INTEGRITY) {
          failures.add("byte " + i + " flipped: kind " + e.kind());
        }
      }
    }
    assertThat(failures).isEmpty();
    assertKind(HsmException.Kind.INTEGRITY, () -> driver.unseal(k, Arrays.copyOf(sealed, sealed.length - 1), aad));
    assertKind(HsmException.Kind.INTEGRITY, () -> driver.unseal(k, new byte[5], aad));
  }

  @Test
  void unseal_wrongAad_integrity() throws Exception {
    assumeCapability(Capability.SEAL_AES_GCM);
    KeyHandle k = driver.generateKey(KeySpec.AES_256, label("aad"));
    byte[] sealed = driver.seal(k, new byte[32], "user-1|v1".getBytes(StandardCharsets.UTF_8));
    assertKind(HsmException.Kind.INTEGRITY, () -> driver.unseal(k, sealed, "user-2|v1".getBytes(StandardCharsets.UTF_8)));
    assertKind(HsmException.Kind.INTEGRITY, () -> driver.unseal(k, sealed, new byte[0]));
  }

  @Test
  void unseal_otherKey_integrity() throws Exception {
    assumeCapability(Capability.SEAL_AES_GCM);
    KeyHandle k1 = driver.generateKey(KeySpec.AES_256, label("k1"));
    KeyHandle k2 = driver.generateKey(KeySpec.AES_256, label("k2"));
    byte[] sealed = driver.seal(k1, new byte[32], new byte[0]);
    assertKind(HsmException.Kind.INTEGRITY, () -> driver.unseal(k2, sealed, new byte[0]));
  }

  @Test
  void seal_keyPairHandle_wrongKeyType() throws Exception {
    assumeCapability(Capability.GENERATE_EC_P256);
    KeyHandle ec = driver.generateKey(KeySpec.EC_P256, label("ec-seal"));
    assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> driver.seal(ec, new byte[1], new byte[0]));
    KeyHandle aes = driver.generateKey(KeySpec.AES_256, label("aes-sign"));
    assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> driver.sign(aes, new byte[1]));
    assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> driver.publicKey(aes));
  }

  // ---- signatures ----

  @Test
  void sign_ecP256_derSignatureVerifiesWithPublicKey() throws Exception {
    assumeCapability(Capability.SIGN_ECDSA_P256);
    KeyHandle k = driver.generateKey(KeySpec.EC_P256, label("ecdsa"));
    PublicKey pub = driver.publicKey(k);
    byte[] msg = "canonical command bytes".getBytes(StandardCharsets.UTF_8);
    byte[] sig = driver.sign(k, msg);
    assertStrictDer(sig);
    assertThat(verify("SHA256withECDSA", pub, msg, sig)).isTrue();
    assertThat(verify("SHA256withECDSA", pub, "other".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
  }

  /**
   * Signs the message of every Wycheproof vector for each signature scheme the driver has (ECDSA
   * P-256, Ed25519, RSA-PSS) and verifies each signature with the JDK against the exported public
   * key; ECDSA signatures must also be strict DER. (The vectors are verification vectors without
   * private keys, so their messages — empty, long, hash edge cases — are what applies to a signer.)
   */
  @Test
  void sign_wycheproofMessages_verifyWithPublicKey() throws Exception {
    record Scheme(Capability cap, KeySpec spec, String file, String jcaAlg) {}
    List<Scheme> schemes = List.of(
        new Scheme(Capability.SIGN_ECDSA_P256, KeySpec.EC_P256, "ecdsa_secp256r1_sha256_test.json", "SHA256withECDSA"),
        new Scheme(Capability.SIGN_ED25519, KeySpec.ED25519, "ed25519_test.json", "Ed25519"),
        new Scheme(Capability.SIGN_RSA_PSS, KeySpec.RSA_2048, "rsa_pss_2048_sha256_mgf1_32_test.json", "RSASSA-PSS"));
    List<String> failures = new ArrayList<>();
    int ran = 0;
    for (Scheme sc : schemes) {
      if (!caps.contains(sc.cap()) || !caps.contains(sc.spec().generateCapability())) {
        System.out.println("[contract] " + sc.cap() + " absent: its Wycheproof messages not signed");
        continue;
      }
      ran++;
      JsonNode root = new ObjectMapper().readTree(TestEnvironment.wycheproof(sc.file()).toFile());
      KeyHandle k = driver.generateKey(sc.spec(), label("wp-sign"));
      PublicKey pub = driver.publicKey(k);
      Map<String, String> messages = new LinkedHashMap<>();
      for (JsonNode g : root.get("testGroups")) {
        for (JsonNode t : g.get("tests")) {
          messages.putIfAbsent(t.get("msg").asText(),
              String.format("testcase %d (%s)", t.get("tcId").asInt(), t.get("comment").asText()));
        }
      }
      for (Map.Entry<String, String> m : messages.entrySet()) {
        byte[] msg = HexFormat.of().parseHex(m.getKey());
        try {
          byte[] sig = driver.sign(k, msg);
          if (sc.spec() == KeySpec.EC_P256) {
            assertStrictDer(sig);
          }
          Signature v = Signature.getInstance(sc.jcaAlg());
          if (sc.spec() == KeySpec.RSA_2048) {
            v.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
          }
          v.initVerify(pub);
          v.update(msg);
          if (!v.verify(sig)) {
            failures.add(sc.file() + " " + m.getValue() + ": signature does not verify");
          }
        } catch (Exception | AssertionError e) {
          failures.add(sc.file() + " " + m.getValue() + ": " + e);
        }
      }
      System.out.println("[contract] " + sc.cap() + ": signed and verified the messages of " + messages.size()
          + " Wycheproof vectors (" + sc.file() + ")");
    }
    if (ran == 0) {
      assumeCapability(Capability.SIGN_ECDSA_P256);
    }
    assertThat(failures).isEmpty();
  }

  // ---- ECDH ----

  @Test
  void ecdh_softwarePeer_agreesWithSoftwareEcdh() throws Exception {
    assumeCapability(Capability.ECDH_P256);
    KeyHandle k = driver.generateKey(KeySpec.EC_P256, label("ecdh"));
    ECPublicKey hsmPub = (ECPublicKey) driver.publicKey(k);
    for (int i = 0; i < 5; i++) {
      KeyPair peer = newP256();
      byte[] z = driver.ecdh(k, P256Points.encodeUncompressed((ECPublicKey) peer.getPublic()));
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(peer.getPrivate());
      ka.doPhase(hsmPub, true);
      assertThat(z).hasSize(32).isEqualTo(ka.generateSecret());
    }
  }

  @Test
  void ecdh_invalidPoint_invalidInput() throws Exception {
    assumeCapability(Capability.ECDH_P256);
    KeyHandle k = driver.generateKey(KeySpec.EC_P256, label("ecdh-bad"));
    byte[] good = P256Points.encodeUncompressed((ECPublicKey) newP256().getPublic());
    byte[] offCurve = good.clone();
    offCurve[64] ^= 1;
    byte[] compressed = new byte[33];
    compressed[0] = 2;
    System.arraycopy(good, 1, compressed, 1, 32);
    byte[] zeros = new byte[65];
    zeros[0] = 4;
    byte[] wrongPrefix = good.clone();
    wrongPrefix[0] = 5;
    byte[] pCoord = good.clone();
    Arrays.fill(pCoord, 1, 33, (byte) 0xff);
    for (byte[] bad : List.of(offCurve, compressed, zeros, wrongPrefix, pCoord, new byte[0], Arrays.copyOf(good, 64))) {
      assertKind(HsmException.Kind.INVALID_INPUT, () -> driver.ecdh(k, bad));
    }
    assertKind(HsmException.Kind.INVALID_INPUT, () -> driver.ecdh(k, null));
  }

  @Test
  void ecdh_wycheproofVectors_matchWithImportedKeys() throws Exception {
    assumeCapability(Capability.ECDH_P256);
    assumeCapability(Capability.INSECURE_TEST_KEY_IMPORT);
    InsecureTestKeyImport importer = (InsecureTestKeyImport) driver;
    JsonNode root = new ObjectMapper().readTree(TestEnvironment.wycheproof("ecdh_secp256r1_test.json").toFile());
    X9ECParameters x9 = ECNamedCurveTable.getByName("secp256r1");
    KeyFactory kf = KeyFactory.getInstance("EC");
    Map<String, KeyHandle> imported = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    int checked = 0;
    int notRepresentable = 0;
    for (JsonNode g : root.get("testGroups")) {
      for (JsonNode t : g.get("tests")) {
        String name = String.format("testcase %d (%s)", t.get("tcId").asInt(), t.get("comment").asText());
        String result = t.get("result").asText();
        byte[] point = uncompressedNamedP256Point(HexFormat.of().parseHex(t.get("public").asText()));
        if (point == null) {
          notRepresentable++; // not a named-curve P-256 uncompressed point: rejected before any driver call
          continue;
        }
        checked++;
        try {
          String privHex = t.get("private").asText();
          KeyHandle h = imported.get(privHex);
          if (h == null) {
            BigInteger s = new BigInteger(1, HexFormat.of().parseHex(privHex));
            org.bouncycastle.math.ec.ECPoint q = x9.getG().multiply(s).normalize();
            var priv = kf.generatePrivate(new ECPrivateKeySpec(s, P256Points.params()));
            var pub = kf.generatePublic(new ECPublicKeySpec(new ECPoint(q.getAffineXCoord().toBigInteger(),
                q.getAffineYCoord().toBigInteger()), P256Points.params()));
            h = importer.importKeyPairInsecureTestOnly(KeySpec.EC_P256, label("wp-ecdh"), new KeyPair(pub, priv));
            imported.put(privHex, h);
          }
          byte[] expected = HexFormat.of().parseHex(t.get("shared").asText());
          try {
            byte[] z = driver.ecdh(h, point);
            if (result.equals("invalid")) {
              failures.add(name + ": invalid vector accepted");
            } else if (!Arrays.equals(z, expected)) {
              failures.add(name + ": wrong shared secret");
            }
          } catch (HsmException e) {
            if (result.equals("valid")) {
              failures.add(name + ": valid vector rejected: " + e);
            } else if (e.kind() != HsmException.Kind.INVALID_INPUT) {
              failures.add(name + ": rejected with kind " + e.kind() + " instead of INVALID_INPUT");
            }
          }
        } catch (Exception e) {
          failures.add(name + ": " + e);
        }
      }
    }
    System.out.println("[contract] ECDH: checked " + checked + " Wycheproof vectors through the driver ("
        + notRepresentable + " not representable as an uncompressed P-256 point, rejected by encoding)");
    assertThat(checked).isPositive();
    assertThat(failures).isEmpty();
  }

  /** The raw 65-byte point of a SubjectPublicKeyInfo naming secp256r1, or null if it is anything else. */
  private static byte[] uncompressedNamedP256Point(byte[] der) {
    try {
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
      if (!Arrays.equals(spki.getEncoded(ASN1Encoding.DER), der)
          || !EC_PUBLIC_KEY.equals(spki.getAlgorithm().getAlgorithm())
          || !SECP256R1.equals(spki.getAlgorithm().getParameters())) {
        return null;
      }
      byte[] point = spki.getPublicKeyData().getOctets();
      return point.length == 65 && point[0] == 4 ? point : null;
    } catch (Exception e) {
      return null;
    }
  }

  // ---- random ----

  @Test
  void random_validLengths_returnsFreshBytes() throws Exception {
    assumeCapability(Capability.RANDOM);
    assertThat(driver.random(0)).isEmpty();
    byte[] a = driver.random(32);
    byte[] b = driver.random(32);
    assertThat(a).hasSize(32).isNotEqualTo(b);
    assertThat(driver.random(1024)).hasSize(1024);
    assertKind(HsmException.Kind.INVALID_INPUT, () -> driver.random(-1));
    assertKind(HsmException.Kind.INVALID_INPUT, () -> driver.random(1025));
  }

  // ---- credentials, persistence, close ----

  @Test
  void open_wrongCredential_authenticationWithVendorError() {
    assertThatThrownBy(() -> openWithWrongCredential().close())
        .isInstanceOf(HsmFatalException.class)
        .satisfies(e -> {
          HsmException h = (HsmException) e;
          assertThat(h.kind()).isEqualTo(HsmException.Kind.AUTHENTICATION);
          assertThat(h.vendorName()).contains(expectedWrongCredentialVendorName());
          assertThat(h.isRetryable()).isFalse();
        });
  }

  @Test
  void generateKey_closeAndReopen_keyFoundAndUsable() throws Exception {
    assumeCapability(Capability.PERSISTENT_KEYS);
    boolean ec = caps.contains(Capability.GENERATE_EC_P256) && caps.contains(Capability.SIGN_ECDSA_P256);
    String name = "persist-" + UUID.randomUUID().toString().substring(0, 8);
    String l = label("persist");
    byte[] sealed;
    KeyHandle h;
    KeyHandle ecKey = null;
    PublicKey ecPub = null;
    try (HsmDriver d1 = openFreshDriver(name)) {
      h = d1.generateKey(KeySpec.AES_256, l);
      sealed = d1.seal(h, "kept".getBytes(StandardCharsets.UTF_8), new byte[0]);
      if (ec) {
        ecKey = d1.generateKey(KeySpec.EC_P256, l + "-ec");
        ecPub = d1.publicKey(ecKey);
      }
    }
    try (HsmDriver d2 = openFreshDriver(name)) {
      assertThat(d2.findKey(l)).contains(h);
      assertThat(d2.unseal(h, sealed, new byte[0])).isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
      if (ec) {
        assertThat(d2.findKey(l + "-ec")).contains(ecKey);
        assertThat(d2.publicKey(ecKey).getEncoded()).isEqualTo(ecPub.getEncoded());
        assertThat(verify("SHA256withECDSA", ecPub, new byte[] {1}, d2.sign(ecKey, new byte[] {1}))).isTrue();
      }
    }
  }

  @Test
  void close_thenCall_closedAndSessionsReleased() throws Exception {
    HsmDriver d = openFreshDriver("close-" + UUID.randomUUID().toString().substring(0, 8));
    KeyHandle k = d.generateKey(KeySpec.AES_256, label("close"));
    d.seal(k, new byte[1], new byte[0]);
    d.close();
    d.close(); // idempotent
    assertKind(HsmException.Kind.CLOSED, () -> d.seal(k, new byte[1], new byte[0]));
    assertKind(HsmException.Kind.CLOSED, () -> d.findKey("x"));
    assertSessionsReleased(d);
  }

  // ---- concurrency ----

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // hang guard only; no speed is asserted
  void operations_from16Threads_allSucceedNoneLost() throws Exception {
    assumeCapability(Capability.SEAL_AES_GCM);
    KeyHandle aes = driver.generateKey(KeySpec.AES_256, label("conc-aes"));
    KeyHandle ec = caps.contains(Capability.GENERATE_EC_P256) ? driver.generateKey(KeySpec.EC_P256, label("conc-ec")) : null;
    ECPublicKey ecPub = ec == null ? null : (ECPublicKey) driver.publicKey(ec);
    int threads = 16;
    int ops = operationsPerThread();
    AtomicInteger done = new AtomicInteger();
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          KeyPair peer = newP256();
          for (int i = 0; i < ops; i++) {
            try {
              byte[] pt = ("t" + thread + "-op" + i).getBytes(StandardCharsets.UTF_8);
              byte[] aad = ("aad" + thread).getBytes(StandardCharsets.UTF_8);
              if (!Arrays.equals(driver.unseal(aes, driver.seal(aes, pt, aad), aad), pt)) {
                errors.add("t" + thread + " op" + i + ": unseal returned other plaintext");
              }
              if (ec != null && caps.contains(Capability.SIGN_ECDSA_P256)
                  && !verify("SHA256withECDSA", ecPub, pt, driver.sign(ec, pt))) {
                errors.add("t" + thread + " op" + i + ": signature does not verify");
              }
              if (ec != null && caps.contains(Capability.ECDH_P256)) {
                byte[] z = driver.ecdh(ec, P256Points.encodeUncompressed((ECPublicKey) peer.getPublic()));
                KeyAgreement ka = KeyAgreement.getInstance("ECDH");
                ka.init(peer.getPrivate());
                ka.doPhase(ecPub, true);
                if (!Arrays.equals(z, ka.generateSecret())) {
                  errors.add("t" + thread + " op" + i + ": ECDH mismatch");
                }
              }
              done.incrementAndGet();
            } catch (Exception e) {
              errors.add("t" + thread + " op" + i + ": " + e);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(errors).isEmpty();
    assertEquals(threads * ops, done.get(), "every operation completed exactly once");
  }

  // ---- helpers ----

  /** A fresh software P-256 key pair. */
  protected static KeyPair newP256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(P256);
    return g.generateKeyPair();
  }

  /** Verifies with the JDK's own provider (independent of the driver). */
  protected static boolean verify(String alg, PublicKey pub, byte[] msg, byte[] sig) throws Exception {
    Signature v = Signature.getInstance(alg);
    v.initVerify(pub);
    v.update(msg);
    try {
      return v.verify(sig);
    } catch (java.security.SignatureException e) {
      return false;
    }
  }

  /** Asserts {@code sig} is a DER SEQUENCE of two INTEGERs in [1, n-1], re-encoding byte for byte. */
  protected static void assertStrictDer(byte[] sig) throws Exception {
    ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(sig));
    assertThat(seq.size()).isEqualTo(2);
    for (int i = 0; i < 2; i++) {
      BigInteger v = ASN1Integer.getInstance(seq.getObjectAt(i)).getPositiveValue();
      assertTrue(v.signum() > 0 && v.compareTo(P256_N) < 0, "r/s in range");
    }
    assertThat(seq.getEncoded(ASN1Encoding.DER)).as("strict DER").isEqualTo(sig);
  }
}
