package dev.fleetvault.driver.tck;

import static dev.fleetvault.driver.tck.ContractSupport.assertKind;
import static dev.fleetvault.driver.tck.ContractSupport.badPoints;
import static dev.fleetvault.driver.tck.ContractSupport.label;
import static dev.fleetvault.driver.tck.ContractSupport.newP256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.InsecureTestKeyImport;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.P256Points;
import dev.fleetvault.driver.tck.ContractSupport.ThrowingRunnable;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Contract part: {@link Capability#ECDH_P256}: agreement with the JDK, strict peer point checks,
 * known answers through imported keys with edge-case private scalars (built in, needs {@link
 * Capability#INSECURE_TEST_KEY_IMPORT}), and the Wycheproof ECDH vectors where the files are
 * present.
 */
public interface EcdhContract extends DriverUnderTest {

  @TestFactory
  default Stream<DynamicTest> ecdh_softwarePeer_agreesWithSoftwareEcdh() {
    return dependingOn(
        Capability.ECDH_P256,
        "shared secret equals the JDK's ECDH",
        () -> {
          KeyHandle k = driver().generateKey(KeySpec.EC_P256, label("ecdh"));
          ECPublicKey hsmPub = (ECPublicKey) driver().publicKey(k);
          for (int i = 0; i < 5; i++) {
            KeyPair peer = newP256();
            byte[] z =
                driver().ecdh(k, P256Points.encodeUncompressed((ECPublicKey) peer.getPublic()));
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(peer.getPrivate());
            ka.doPhase(hsmPub, true);
            assertThat(z).hasSize(32).isEqualTo(ka.generateSecret());
          }
        },
        () -> assertEcdhRefused(List.of()));
  }

  @TestFactory
  default Stream<DynamicTest> ecdh_invalidPoint_invalidInput() {
    return dependingOn(
        Capability.ECDH_P256,
        "malformed peer points are INVALID_INPUT",
        () -> {
          KeyHandle k = driver().generateKey(KeySpec.EC_P256, label("ecdh-bad"));
          for (byte[] bad : badPoints()) {
            assertKind(HsmException.Kind.INVALID_INPUT, () -> driver().ecdh(k, bad));
          }
        },
        "refuses every peer point (valid, malformed, null) with UNSUPPORTED",
        () -> assertEcdhRefused(badPoints()));
  }

  /**
   * Imports key pairs with edge-case private scalars (1, 2, n-1, n-2, 2^255, random) and checks the
   * driver's shared secret against the JDK's for fresh peers (with scalar 1 it must be the peer's
   * own x coordinate). Needs no vector file.
   */
  @TestFactory
  default Stream<DynamicTest> ecdh_edgeCaseScalars_matchKnownAnswers() {
    return withImportedKeys(
        "edge-case private scalars agree with the JDK",
        () -> {
          BigInteger n = ContractSupport.P256_N;
          List<BigInteger> scalars =
              List.of(
                  BigInteger.ONE,
                  BigInteger.TWO,
                  n.subtract(BigInteger.ONE),
                  n.subtract(BigInteger.TWO),
                  BigInteger.ONE.shiftLeft(255),
                  new BigInteger(1, driverlessRandom()).mod(n));
          for (BigInteger s : scalars) {
            KeyHandle h = importScalar(s);
            ECPublicKey mine = (ECPublicKey) driver().publicKey(h);
            for (int i = 0; i < 2; i++) {
              KeyPair peer = newP256();
              ECPublicKey peerPub = (ECPublicKey) peer.getPublic();
              byte[] z = driver().ecdh(h, P256Points.encodeUncompressed(peerPub));
              KeyAgreement ka = KeyAgreement.getInstance("ECDH");
              ka.init(peer.getPrivate());
              ka.doPhase(mine, true);
              assertThat(z)
                  .as("ECDH with private scalar %s", s.toString(16))
                  .isEqualTo(ka.generateSecret());
              if (s.equals(BigInteger.ONE)) {
                assertThat(new BigInteger(1, z))
                    .as("scalar 1 gives the peer's x")
                    .isEqualTo(peerPub.getW().getAffineX());
              }
            }
          }
        });
  }

  /**
   * Runs every Wycheproof ECDH vector through imported keys. Skips loudly without the files (fails
   * under CI).
   */
  @TestFactory
  default Stream<DynamicTest> ecdh_wycheproofVectors_matchWithImportedKeys() {
    return withImportedKeys(
        "Wycheproof ECDH vectors through imported keys", this::ecdhWycheproofVectors);
  }

  private Stream<DynamicTest> withImportedKeys(String what, ThrowingRunnable present) {
    boolean ecdh = has(Capability.ECDH_P256);
    boolean imports = has(Capability.INSECURE_TEST_KEY_IMPORT);
    if (ecdh && imports) {
      return Stream.of(
          DynamicTest.dynamicTest(
              "capability [ECDH_P256, INSECURE_TEST_KEY_IMPORT] present: " + what, present::run));
    }
    List<Capability> absent = new ArrayList<>();
    if (!ecdh) {
      absent.add(Capability.ECDH_P256);
    }
    if (!imports) {
      absent.add(Capability.INSECURE_TEST_KEY_IMPORT);
    }
    return Stream.of(
        DynamicTest.dynamicTest(
            "capability " + absent + " absent: refuses with UNSUPPORTED",
            () -> {
              if (!ecdh) {
                assertEcdhRefused(List.of());
              }
              if (!imports) {
                assertImportRefused();
              }
            }));
  }

  private static byte[] driverlessRandom() {
    byte[] b = new byte[32];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }

  private KeyHandle importScalar(BigInteger s) throws Exception {
    X9ECParameters x9 = ECNamedCurveTable.getByName("secp256r1");
    KeyFactory kf = KeyFactory.getInstance("EC");
    org.bouncycastle.math.ec.ECPoint q = x9.getG().multiply(s).normalize();
    var priv = kf.generatePrivate(new ECPrivateKeySpec(s, P256Points.params()));
    var pub =
        kf.generatePublic(
            new ECPublicKeySpec(
                new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                P256Points.params()));
    return ((InsecureTestKeyImport) driver())
        .importKeyPairInsecureTestOnly(KeySpec.EC_P256, label("imp-ecdh"), new KeyPair(pub, priv));
  }

  private void ecdhWycheproofVectors() throws Exception {
    JsonNode root =
        new ObjectMapper()
            .readTree(TestEnvironment.wycheproof("ecdh_secp256r1_test.json").toFile());
    Map<String, KeyHandle> imported = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    int checked = 0;
    int notRepresentable = 0;
    for (JsonNode g : root.get("testGroups")) {
      for (JsonNode t : g.get("tests")) {
        String name =
            String.format("testcase %d (%s)", t.get("tcId").asInt(), t.get("comment").asText());
        String result = t.get("result").asText();
        byte[] point =
            uncompressedNamedP256Point(HexFormat.of().parseHex(t.get("public").asText()));
        if (point == null) {
          notRepresentable++; // not a named-curve P-256 uncompressed point: rejected before any
          // driver call
          continue;
        }
        checked++;
        try {
          String privHex = t.get("private").asText();
          KeyHandle h = imported.get(privHex);
          if (h == null) {
            h = importScalar(new BigInteger(1, HexFormat.of().parseHex(privHex)));
            imported.put(privHex, h);
          }
          byte[] expected = HexFormat.of().parseHex(t.get("shared").asText());
          try {
            byte[] z = driver().ecdh(h, point);
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
    System.out.println(
        "[contract] ECDH: checked "
            + checked
            + " Wycheproof vectors through the driver ("
            + notRepresentable
            + " not representable as an uncompressed P-256 point, rejected by encoding)");
    assertThat(checked).isPositive();
    assertThat(failures).isEmpty();
  }

  /**
   * The raw 65-byte point of a SubjectPublicKeyInfo naming secp256r1, or null if it is anything
   * else.
   */
  private static byte[] uncompressedNamedP256Point(byte[] der) {
    ASN1ObjectIdentifier secp256r1 = new ASN1ObjectIdentifier("1.2.840.10045.3.1.7");
    ASN1ObjectIdentifier ecPublicKey = new ASN1ObjectIdentifier("1.2.840.10045.2.1");
    try {
      SubjectPublicKeyInfo spki =
          SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
      if (!Arrays.equals(spki.getEncoded(ASN1Encoding.DER), der)
          || !ecPublicKey.equals(spki.getAlgorithm().getAlgorithm())
          || !secp256r1.equals(spki.getAlgorithm().getParameters())) {
        return null;
      }
      byte[] point = spki.getPublicKeyData().getOctets();
      return point.length == 65 && point[0] == 4 ? point : null;
    } catch (Exception e) {
      return null;
    }
  }
}
