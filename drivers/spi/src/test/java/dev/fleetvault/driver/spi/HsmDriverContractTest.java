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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every {@link HsmDriver} must meet. A driver's test extends this class and supplies
 * how to open the driver. Nothing is skipped for a missing capability: every test that depends on
 * a {@link Capability} is a {@link TestFactory} with one dynamic test, named
 * {@code "capability X present: ..."} when the driver reports {@code X} (the capability is
 * exercised) or {@code "capability X absent: refuses with UNSUPPORTED"} when it does not — then
 * the operation that needs {@code X} must throw {@link HsmFatalException} of kind
 * {@link HsmException.Kind#UNSUPPORTED} whose message names {@code X}, before the key handle is
 * even looked at (a driver without a capability refuses it, never half-works), and a refused
 * {@code generateKey} leaves its label free. Where no operation exists to refuse
 * ({@link Capability#PERSISTENT_KEYS}), the test checks what the driver says of itself instead.
 * One line per absent capability, listing the refusals checked, is printed after the class.
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
  /** Absent capability -> what was checked for it (printed after the class). */
  private final Map<Capability, Set<String>> absentChecks = Collections.synchronizedMap(new TreeMap<>());

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
    if (caps != null) {
      for (Capability c : Capability.values()) {
        if (!caps.contains(c)) {
          Set<String> checked = absentChecks.get(c);
          System.out.println("[contract] capability " + c + " absent: " + (checked == null
              ? "no test of this run checked its refusal" : "checked " + String.join("; ", checked)));
        }
      }
    }
  }

  /** A fresh label unique to this run. */
  protected static String label(String prefix) {
    return prefix + "-" + LABELS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Whether the driver reports {@code c}. */
  protected boolean has(Capability c) {
    return caps.contains(c);
  }

  /**
   * One dynamic test: {@code present} (named {@code "capability C present: <what>"}) when the
   * driver reports {@code c}, else {@code absent} (named {@code "capability C absent: <absentName>"}),
   * which must assert the refusal contract.
   */
  protected Stream<DynamicTest> dependingOn(Capability c, String what, ThrowingRunnable present, String absentName,
      ThrowingRunnable absent) {
    return has(c)
        ? Stream.of(DynamicTest.dynamicTest("capability " + c + " present: " + what, present::run))
        : Stream.of(DynamicTest.dynamicTest("capability " + c + " absent: " + absentName, absent::run));
  }

  /** {@link #dependingOn(Capability, String, ThrowingRunnable, String, ThrowingRunnable)} with "refuses with UNSUPPORTED". */
  protected Stream<DynamicTest> dependingOn(Capability c, String what, ThrowingRunnable present, ThrowingRunnable absent) {
    return dependingOn(c, what, present, "refuses with UNSUPPORTED", absent);
  }

  /** Records what was checked for the absent capability {@code c} (printed once per capability after the class). */
  protected void checkedAbsent(Capability c, String what) {
    absentChecks.computeIfAbsent(c, k -> Collections.synchronizedSet(new LinkedHashSet<>())).add(what);
  }

  /**
   * Asserts the refusal contract for the absent capability {@code c}: {@code r} throws
   * {@link HsmFatalException} of kind UNSUPPORTED, not retryable, with a message naming {@code c}.
   */
  protected void assertRefused(Capability c, String operation, ThrowingRunnable r) {
    assertThat(caps).as("refusal of %s is the contract only while %s is absent", operation, c).doesNotContain(c);
    assertThatThrownBy(r::run).as("%s while capability %s is absent", operation, c)
        .isInstanceOf(HsmFatalException.class)
        .satisfies(e -> {
          HsmException h = (HsmException) e;
          assertThat(h.kind()).as("kind of %s", e).isEqualTo(HsmException.Kind.UNSUPPORTED);
          assertThat(h.isRetryable()).as("retryable: %s", e).isFalse();
          assertThat(h.getMessage()).as("message of %s names the missing capability", e).containsIgnoringCase(c.name());
        });
    checkedAbsent(c, operation + " refused with UNSUPPORTED");
  }

  /** Asserts that {@code generateKey(spec)} is refused (its capability absent) and leaves the label free. */
  protected void assertGenerateRefused(KeySpec spec) throws Exception {
    String l = label("refused-" + spec.name().toLowerCase(java.util.Locale.ROOT));
    assertRefused(spec.generateCapability(), "generateKey(" + spec + ")", () -> driver.generateKey(spec, l));
    assertThat(driver.findKey(l)).as("a refused generateKey leaves no key under its label").isEmpty();
    checkedAbsent(spec.generateCapability(), "generateKey(" + spec + ") left its label free");
  }

  /**
   * A handle of {@code spec} to show an operation is refused: a real key where the driver can
   * generate one, else a handle no driver issued (the capability check must come before the lookup).
   */
  protected KeyHandle refusalHandle(KeySpec spec) throws Exception {
    return has(spec.generateCapability()) ? driver.generateKey(spec, label("refusal"))
        : KeyHandle.of(label("refusal"), spec, "never-issued-" + UUID.randomUUID());
  }

  /** The capability {@link HsmDriver#sign} needs for keys of {@code spec}. */
  protected static Capability signCapability(KeySpec spec) {
    return switch (spec) {
      case EC_P256 -> Capability.SIGN_ECDSA_P256;
      case ED25519 -> Capability.SIGN_ED25519;
      case RSA_2048 -> Capability.SIGN_RSA_PSS;
      case AES_256 -> throw new IllegalArgumentException("AES_256 keys do not sign");
    };
  }

  /** Asserts sign with a {@code spec} key is refused (its signature capability absent). */
  protected void assertSignRefused(KeySpec spec) throws Exception {
    KeyHandle k = refusalHandle(spec);
    assertRefused(signCapability(spec), has(spec.generateCapability()) ? "sign(" + spec + " key)" : "sign(never-issued " + spec + " handle)",
        () -> driver.sign(k, "refuse me".getBytes(StandardCharsets.UTF_8)));
  }

  /** Asserts seal and unseal are refused (SEAL_AES_GCM absent). */
  protected void assertSealRefused() throws Exception {
    KeyHandle k = refusalHandle(KeySpec.AES_256);
    String on = has(Capability.GENERATE_AES_256) ? " with an AES_256 key" : " with a never-issued AES_256 handle";
    assertRefused(Capability.SEAL_AES_GCM, "seal" + on, () -> driver.seal(k, new byte[] {1}, new byte[0]));
    byte[] sealedShape = new SealedBlob(new byte[SealedBlob.NONCE_LENGTH], new byte[SealedBlob.TAG_LENGTH + 1]).encode();
    assertRefused(Capability.SEAL_AES_GCM, "unseal" + on, () -> driver.unseal(k, sealedShape, new byte[0]));
  }

  /** Asserts ECDH is refused (ECDH_P256 absent) for a valid peer point, and for each {@code morePoints}. */
  protected void assertEcdhRefused(List<byte[]> morePoints) throws Exception {
    KeyHandle k = refusalHandle(KeySpec.EC_P256);
    String on = has(Capability.GENERATE_EC_P256) ? "EC_P256 key" : "never-issued EC_P256 handle";
    byte[] peer = P256Points.encodeUncompressed((ECPublicKey) newP256().getPublic());
    assertRefused(Capability.ECDH_P256, "ecdh(" + on + ", valid peer point)", () -> driver.ecdh(k, peer));
    for (byte[] p : morePoints) {
      assertRefused(Capability.ECDH_P256, "ecdh(" + on + ", malformed peer point)", () -> driver.ecdh(k, p));
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
      assertGenerateRefused(spec);
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
        } else {
          assertRefused(Capability.SIGN_ED25519, "sign(ED25519 key)", () -> driver.sign(h, msg));
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
        } else {
          assertRefused(Capability.SIGN_RSA_PSS, "sign(RSA_2048 key)", () -> driver.sign(h, msg));
        }
      }
      default -> throw new AssertionError(spec);
    }
  }

  @TestFactory
  Stream<DynamicTest> generateKey_existingLabel_keyExists() {
    return dependingOn(Capability.GENERATE_AES_256, "second key under one label is KEY_EXISTS", () -> {
      String l = label("dup");
      driver.generateKey(KeySpec.AES_256, l);
      assertKind(HsmException.Kind.KEY_EXISTS, () -> driver.generateKey(KeySpec.AES_256, l));
    }, () -> assertGenerateRefused(KeySpec.AES_256));
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

  /**
   * A handle the driver never issued is KEY_NOT_FOUND for every operation the driver has (an
   * operation it lacks is UNSUPPORTED whatever the handle: the capability check comes first).
   */
  @Test
  void operations_unknownHandle_keyNotFound() {
    String id = "00112233445566778899aabbccddeeff";
    KeyHandle ghost = KeyHandle.of(label("ghost"), KeySpec.AES_256, id);
    if (has(Capability.SEAL_AES_GCM)) {
      assertKind(HsmException.Kind.KEY_NOT_FOUND, () -> driver.seal(ghost, new byte[1], new byte[0]));
    } else {
      assertRefused(Capability.SEAL_AES_GCM, "seal(never-issued AES_256 handle)", () -> driver.seal(ghost, new byte[1], new byte[0]));
    }
    for (KeySpec spec : List.of(KeySpec.EC_P256, KeySpec.ED25519, KeySpec.RSA_2048)) {
      KeyHandle ghostPair = KeyHandle.of(label("ghost"), spec, id);
      if (has(signCapability(spec))) {
        assertKind(HsmException.Kind.KEY_NOT_FOUND, () -> driver.sign(ghostPair, new byte[1]));
      } else {
        assertRefused(signCapability(spec), "sign(never-issued " + spec + " handle)", () -> driver.sign(ghostPair, new byte[1]));
      }
      if (has(spec.generateCapability())) {
        assertKind(HsmException.Kind.KEY_NOT_FOUND, () -> driver.publicKey(ghostPair));
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> keys_generated_notExtractable() {
    return dependingOn(Capability.GENERATE_AES_256, "generated keys are not extractable", () -> {
      assertNotExtractable(driver, driver.generateKey(KeySpec.AES_256, label("nx-aes")));
      if (caps.contains(Capability.GENERATE_EC_P256)) {
        assertNotExtractable(driver, driver.generateKey(KeySpec.EC_P256, label("nx-ec")));
      }
    }, () -> assertGenerateRefused(KeySpec.AES_256));
  }

  // ---- seal / unseal ----

  @TestFactory
  Stream<DynamicTest> seal_thenUnseal_roundTrips() {
    return dependingOn(Capability.SEAL_AES_GCM, "seal then unseal round-trips 0..70000 bytes", () -> {
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
    }, this::assertSealRefused);
  }

  @TestFactory
  Stream<DynamicTest> seal_samePlaintextTwice_differentOutput() {
    return dependingOn(Capability.SEAL_AES_GCM, "same plaintext sealed twice differs", () -> {
      KeyHandle k = driver.generateKey(KeySpec.AES_256, label("seal2"));
      byte[] pt = "same".getBytes(StandardCharsets.UTF_8);
      assertThat(driver.seal(k, pt, new byte[0])).isNotEqualTo(driver.seal(k, pt, new byte[0]));
    }, this::assertSealRefused);
  }

  @TestFactory
  Stream<DynamicTest> unseal_anyByteFlipped_integrity() {
    return dependingOn(Capability.SEAL_AES_GCM, "any flipped byte is INTEGRITY", () -> {
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
    }, this::assertSealRefused);
  }

  @TestFactory
  Stream<DynamicTest> unseal_wrongAad_integrity() {
    return dependingOn(Capability.SEAL_AES_GCM, "wrong aad is INTEGRITY", () -> {
      KeyHandle k = driver.generateKey(KeySpec.AES_256, label("aad"));
      byte[] sealed = driver.seal(k, new byte[32], "user-1|v1".getBytes(StandardCharsets.UTF_8));
      assertKind(HsmException.Kind.INTEGRITY, () -> driver.unseal(k, sealed, "user-2|v1".getBytes(StandardCharsets.UTF_8)));
      assertKind(HsmException.Kind.INTEGRITY, () -> driver.unseal(k, sealed, new byte[0]));
    }, this::assertSealRefused);
  }

  @TestFactory
  Stream<DynamicTest> unseal_otherKey_integrity() {
    return dependingOn(Capability.SEAL_AES_GCM, "other key is INTEGRITY", () -> {
      KeyHandle k1 = driver.generateKey(KeySpec.AES_256, label("k1"));
      KeyHandle k2 = driver.generateKey(KeySpec.AES_256, label("k2"));
      byte[] sealed = driver.seal(k1, new byte[32], new byte[0]);
      assertKind(HsmException.Kind.INTEGRITY, () -> driver.unseal(k2, sealed, new byte[0]));
    }, this::assertSealRefused);
  }

  @TestFactory
  Stream<DynamicTest> seal_keyPairHandle_wrongKeyType() {
    return dependingOn(Capability.GENERATE_EC_P256, "EC key cannot seal, AES key cannot sign: WRONG_KEY_TYPE",
        () -> assertWrongKeyTypes(KeySpec.EC_P256),
        "refuses with UNSUPPORTED (and WRONG_KEY_TYPE checked with another key pair type where one exists)", () -> {
          assertGenerateRefused(KeySpec.EC_P256);
          for (KeySpec other : List.of(KeySpec.RSA_2048, KeySpec.ED25519)) {
            if (has(other.generateCapability())) {
              assertWrongKeyTypes(other);
              checkedAbsent(Capability.GENERATE_EC_P256, "WRONG_KEY_TYPE checks done with " + other + " instead");
              break;
            }
          }
        });
  }

  private void assertWrongKeyTypes(KeySpec pairSpec) throws Exception {
    KeyHandle pair = driver.generateKey(pairSpec, label("pair-seal"));
    assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> driver.seal(pair, new byte[1], new byte[0]));
    KeyHandle aes = driver.generateKey(KeySpec.AES_256, label("aes-sign"));
    assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> driver.sign(aes, new byte[1]));
    assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> driver.publicKey(aes));
  }

  // ---- signatures ----

  @TestFactory
  Stream<DynamicTest> sign_ecP256_derSignatureVerifiesWithPublicKey() {
    return dependingOn(Capability.SIGN_ECDSA_P256, "strict DER ECDSA signature verifies with the public key", () -> {
      KeyHandle k = driver.generateKey(KeySpec.EC_P256, label("ecdsa"));
      PublicKey pub = driver.publicKey(k);
      byte[] msg = "canonical command bytes".getBytes(StandardCharsets.UTF_8);
      byte[] sig = driver.sign(k, msg);
      assertStrictDer(sig);
      assertThat(verify("SHA256withECDSA", pub, msg, sig)).isTrue();
      assertThat(verify("SHA256withECDSA", pub, "other".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
    }, () -> assertSignRefused(KeySpec.EC_P256));
  }

  /**
   * Signs the message of every Wycheproof vector for each signature scheme the driver has (ECDSA
   * P-256, Ed25519, RSA-PSS) and verifies each signature with the JDK against the exported public
   * key; ECDSA signatures must also be strict DER. (The vectors are verification vectors without
   * private keys, so their messages — empty, long, hash edge cases — are what applies to a signer.)
   * A scheme whose signature capability is absent must refuse {@code sign} with UNSUPPORTED; one
   * whose key type cannot be generated must refuse {@code generateKey} with UNSUPPORTED.
   */
  @TestFactory
  Stream<DynamicTest> sign_wycheproofMessages_verifyWithPublicKey() {
    List<Capability> present = new ArrayList<>();
    List<Capability> absent = new ArrayList<>();
    for (SignScheme sc : SIGN_SCHEMES) {
      if (has(sc.cap()) && has(sc.spec().generateCapability())) {
        present.add(sc.cap());
      } else {
        absent.add(has(sc.cap()) ? sc.spec().generateCapability() : sc.cap());
      }
    }
    List<String> parts = new ArrayList<>();
    if (!present.isEmpty()) {
      parts.add("capability " + present + " present: Wycheproof messages signed and verified");
    }
    if (!absent.isEmpty()) {
      parts.add("capability " + absent + " absent: refuses with UNSUPPORTED");
    }
    return Stream.of(DynamicTest.dynamicTest(String.join("; ", parts), this::signWycheproofMessages));
  }

  private record SignScheme(Capability cap, KeySpec spec, String file, String jcaAlg) {}

  private static final List<SignScheme> SIGN_SCHEMES = List.of(
      new SignScheme(Capability.SIGN_ECDSA_P256, KeySpec.EC_P256, "ecdsa_secp256r1_sha256_test.json", "SHA256withECDSA"),
      new SignScheme(Capability.SIGN_ED25519, KeySpec.ED25519, "ed25519_test.json", "Ed25519"),
      new SignScheme(Capability.SIGN_RSA_PSS, KeySpec.RSA_2048, "rsa_pss_2048_sha256_mgf1_32_test.json", "RSASSA-PSS"));

  private void signWycheproofMessages() throws Exception {
    List<String> failures = new ArrayList<>();
    for (SignScheme sc : SIGN_SCHEMES) {
      if (!caps.contains(sc.cap())) {
        assertSignRefused(sc.spec());
        continue;
      }
      if (!caps.contains(sc.spec().generateCapability())) {
        assertGenerateRefused(sc.spec()); // can sign, but no key of this type can be made here
        continue;
      }
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
    assertThat(failures).isEmpty();
  }

  // ---- ECDH ----

  @TestFactory
  Stream<DynamicTest> ecdh_softwarePeer_agreesWithSoftwareEcdh() {
    return dependingOn(Capability.ECDH_P256, "shared secret equals the JDK's ECDH", this::ecdhAgreesWithSoftware,
        () -> assertEcdhRefused(List.of()));
  }

  private void ecdhAgreesWithSoftware() throws Exception {
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

  @TestFactory
  Stream<DynamicTest> ecdh_invalidPoint_invalidInput() {
    return dependingOn(Capability.ECDH_P256, "malformed peer points are INVALID_INPUT", () -> {
      KeyHandle k = driver.generateKey(KeySpec.EC_P256, label("ecdh-bad"));
      for (byte[] bad : badPoints()) {
        assertKind(HsmException.Kind.INVALID_INPUT, () -> driver.ecdh(k, bad));
      }
    }, "refuses every peer point (valid, malformed, null) with UNSUPPORTED", () -> assertEcdhRefused(badPoints()));
  }

  /** Malformed peer points: off the curve, compressed, zero, wrong prefix, x = p-ish, empty, short, null. */
  private static List<byte[]> badPoints() throws Exception {
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
    return Arrays.asList(offCurve, compressed, zeros, wrongPrefix, pCoord, new byte[0], Arrays.copyOf(good, 64), null);
  }

  @TestFactory
  Stream<DynamicTest> ecdh_wycheproofVectors_matchWithImportedKeys() {
    boolean ecdh = has(Capability.ECDH_P256);
    boolean imports = has(Capability.INSECURE_TEST_KEY_IMPORT);
    if (ecdh && imports) {
      return Stream.of(DynamicTest.dynamicTest("capability [ECDH_P256, INSECURE_TEST_KEY_IMPORT] present: "
          + "Wycheproof ECDH vectors through imported keys", this::ecdhWycheproofVectors));
    }
    List<Capability> absent = new ArrayList<>();
    if (!ecdh) {
      absent.add(Capability.ECDH_P256);
    }
    if (!imports) {
      absent.add(Capability.INSECURE_TEST_KEY_IMPORT);
    }
    return Stream.of(DynamicTest.dynamicTest("capability " + absent + " absent: refuses with UNSUPPORTED", () -> {
      if (!ecdh) {
        assertEcdhRefused(List.of());
      }
      if (!imports) {
        assertImportRefused();
      }
    }));
  }

  /**
   * Test key import absent: a driver offering {@link InsecureTestKeyImport} refuses it with
   * UNSUPPORTED and keeps the label free; a driver not offering the interface has nothing to refuse.
   */
  private void assertImportRefused() throws Exception {
    if (driver instanceof InsecureTestKeyImport importer) {
      String l = label("refused-import");
      KeyPair pair = newP256();
      assertRefused(Capability.INSECURE_TEST_KEY_IMPORT, "importKeyPairInsecureTestOnly(EC_P256)",
          () -> importer.importKeyPairInsecureTestOnly(KeySpec.EC_P256, l, pair));
      assertThat(driver.findKey(l)).as("a refused import leaves no key under its label").isEmpty();
    } else {
      checkedAbsent(Capability.INSECURE_TEST_KEY_IMPORT, "driver class " + driver.getClass().getSimpleName()
          + " does not implement InsecureTestKeyImport (no import operation exists to refuse)");
    }
  }

  private void ecdhWycheproofVectors() throws Exception {
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

  @TestFactory
  Stream<DynamicTest> random_validLengths_returnsFreshBytes() {
    return dependingOn(Capability.RANDOM, "0..1024 fresh bytes, other lengths INVALID_INPUT", () -> {
      assertThat(driver.random(0)).isEmpty();
      byte[] a = driver.random(32);
      byte[] b = driver.random(32);
      assertThat(a).hasSize(32).isNotEqualTo(b);
      assertThat(driver.random(1024)).hasSize(1024);
      assertKind(HsmException.Kind.INVALID_INPUT, () -> driver.random(-1));
      assertKind(HsmException.Kind.INVALID_INPUT, () -> driver.random(1025));
    }, () -> {
      for (int n : new int[] {0, 32, 1024}) {
        assertRefused(Capability.RANDOM, "random(" + n + ")", () -> driver.random(n));
      }
    });
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

  @TestFactory
  Stream<DynamicTest> generateKey_closeAndReopen_keyFoundAndUsable() {
    return dependingOn(Capability.PERSISTENT_KEYS, "keys found and usable after close and reopen",
        this::keysSurviveReopen, "keys do not survive close and reopen", this::keysGoneAfterReopen);
  }

  private void keysSurviveReopen() throws Exception {
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

  /** PERSISTENT_KEYS absent: what the driver says of itself must hold — a key is gone after reopening. */
  private void keysGoneAfterReopen() throws Exception {
    KeySpec spec = null;
    for (KeySpec s : KeySpec.values()) {
      if (has(s.generateCapability())) {
        spec = s;
        break;
      }
    }
    if (spec == null) {
      assertGenerateRefused(KeySpec.AES_256);
      checkedAbsent(Capability.PERSISTENT_KEYS, "no key type can be generated, so nothing could persist");
      return;
    }
    String name = "volatile-" + UUID.randomUUID().toString().substring(0, 8);
    String l = label("volatile");
    try (HsmDriver d1 = openFreshDriver(name)) {
      KeyHandle h = d1.generateKey(spec, l);
      assertThat(d1.findKey(l)).contains(h);
    }
    try (HsmDriver d2 = openFreshDriver(name)) {
      assertThat(d2.findKey(l)).as("driver reports no PERSISTENT_KEYS, yet the " + spec + " key survived reopening").isEmpty();
    }
    checkedAbsent(Capability.PERSISTENT_KEYS, spec + " key not found after close and reopen");
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

  @TestFactory
  Stream<DynamicTest> operations_from16Threads_allSucceedNoneLost() {
    return dependingOn(Capability.SEAL_AES_GCM, "16 threads seal/unseal (and sign/ecdh where present), none lost",
        this::operationsFrom16Threads,
        "16 threads each see seal refused with UNSUPPORTED (sign/ecdh where present), none lost",
        this::operationsFrom16Threads);
  }

  private void operationsFrom16Threads() throws Exception {
    boolean seal = has(Capability.SEAL_AES_GCM);
    KeyHandle aes = refusalHandle(KeySpec.AES_256);
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
              if (!seal) {
                try {
                  driver.seal(aes, pt, aad);
                  errors.add("t" + thread + " op" + i + ": seal accepted without SEAL_AES_GCM");
                } catch (HsmException e) {
                  if (e.kind() != HsmException.Kind.UNSUPPORTED || e.isRetryable()) {
                    errors.add("t" + thread + " op" + i + ": seal without SEAL_AES_GCM refused with " + e.kind());
                  }
                }
              } else if (!Arrays.equals(driver.unseal(aes, driver.seal(aes, pt, aad), aad), pt)) {
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
        f.get(5, TimeUnit.MINUTES); // hang guard only; no speed is asserted
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(errors).isEmpty();
    assertEquals(threads * ops, done.get(), "every operation completed exactly once");
    if (!seal) {
      checkedAbsent(Capability.SEAL_AES_GCM, "seal refused with UNSUPPORTED " + threads * ops + " times from " + threads + " threads");
    }
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
