package dev.fleetvault.driver.tck;

import static dev.fleetvault.driver.tck.ContractSupport.assertStrictDer;
import static dev.fleetvault.driver.tck.ContractSupport.label;
import static dev.fleetvault.driver.tck.ContractSupport.verify;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Contract part: signatures ({@link Capability#SIGN_ECDSA_P256}, {@link Capability#SIGN_ED25519},
 * {@link Capability#SIGN_RSA_PSS}), each verified with the JDK against the exported public key. The
 * edge-case messages are built in; the Wycheproof messages run where the vector files are present
 * ({@link TestEnvironment#wycheproof}).
 */
public interface SignContract extends DriverUnderTest {

  /** A signature scheme: its capability, key type, Wycheproof file and JCA verifier. */
  record SignScheme(Capability cap, KeySpec spec, String file, String jcaAlg) {}

  /** The schemes of the SPI. */
  List<SignScheme> SIGN_SCHEMES =
      List.of(
          new SignScheme(
              Capability.SIGN_ECDSA_P256,
              KeySpec.EC_P256,
              "ecdsa_secp256r1_sha256_test.json",
              "SHA256withECDSA"),
          new SignScheme(Capability.SIGN_ED25519, KeySpec.ED25519, "ed25519_test.json", "Ed25519"),
          new SignScheme(
              Capability.SIGN_RSA_PSS,
              KeySpec.RSA_2048,
              "rsa_pss_2048_sha256_mgf1_32_test.json",
              "RSASSA-PSS"));

  @TestFactory
  default Stream<DynamicTest> sign_ecP256_derSignatureVerifiesWithPublicKey() {
    return dependingOn(
        Capability.SIGN_ECDSA_P256,
        "strict DER ECDSA signature verifies with the public key",
        () -> {
          KeyHandle k = driver().generateKey(KeySpec.EC_P256, label("ecdsa"));
          PublicKey pub = driver().publicKey(k);
          byte[] msg = "canonical command bytes".getBytes(StandardCharsets.UTF_8);
          byte[] sig = driver().sign(k, msg);
          assertStrictDer(sig);
          assertThat(verify("SHA256withECDSA", pub, msg, sig)).isTrue();
          assertThat(verify("SHA256withECDSA", pub, "other".getBytes(StandardCharsets.UTF_8), sig))
              .isFalse();
        },
        () -> assertSignRefused(KeySpec.EC_P256));
  }

  /**
   * Signs edge-case messages (empty, one byte, all zeros, all ones, 64 KiB, not UTF-8) with every
   * scheme the driver has and verifies each; needs no file. An absent scheme is refused.
   */
  @TestFactory
  default Stream<DynamicTest> sign_edgeCaseMessages_verifyWithPublicKey() {
    return Stream.of(
        DynamicTest.dynamicTest(
            schemesName("edge-case messages signed and verified"),
            () -> {
              Map<String, String> messages = new LinkedHashMap<>();
              HexFormat hex = HexFormat.of();
              messages.put("", "empty message");
              messages.put("00", "one zero byte");
              messages.put(hex.formatHex(new byte[64]), "64 zero bytes");
              byte[] ones = new byte[64];
              Arrays.fill(ones, (byte) 0xff);
              messages.put(hex.formatHex(ones), "64 0xff bytes");
              byte[] big = new byte[65_536];
              for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31 + 7);
              }
              messages.put(hex.formatHex(big), "64 KiB message");
              messages.put("c328a0a1", "invalid UTF-8");
              signAndVerifyAll(scheme -> messages, "edge-case messages");
            }));
  }

  /**
   * Signs the message of every Wycheproof vector for each signature scheme the driver has and
   * verifies each signature with the JDK; ECDSA signatures must also be strict DER. (The vectors
   * are verification vectors without private keys, so their messages are what applies to a signer.)
   * Skips loudly without the vector files (fails under CI).
   */
  @TestFactory
  default Stream<DynamicTest> sign_wycheproofMessages_verifyWithPublicKey() {
    return Stream.of(
        DynamicTest.dynamicTest(
            schemesName("Wycheproof messages signed and verified"),
            () ->
                signAndVerifyAll(
                    scheme -> {
                      JsonNode root =
                          new ObjectMapper()
                              .readTree(TestEnvironment.wycheproof(scheme.file()).toFile());
                      Map<String, String> messages = new LinkedHashMap<>();
                      for (JsonNode g : root.get("testGroups")) {
                        for (JsonNode t : g.get("tests")) {
                          messages.putIfAbsent(
                              t.get("msg").asText(),
                              String.format(
                                  "testcase %d (%s)",
                                  t.get("tcId").asInt(), t.get("comment").asText()));
                        }
                      }
                      return messages;
                    },
                    "Wycheproof vectors")));
  }

  /** Where each scheme's messages (hex -> name) come from. */
  @FunctionalInterface
  interface MessageSource {
    /** The messages for {@code scheme}. */
    Map<String, String> messages(SignScheme scheme) throws Exception;
  }

  private String schemesName(String what) {
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
      parts.add("capability " + present + " present: " + what);
    }
    if (!absent.isEmpty()) {
      parts.add("capability " + absent + " absent: refuses with UNSUPPORTED");
    }
    return String.join("; ", parts);
  }

  private void signAndVerifyAll(MessageSource source, String what) throws Exception {
    List<String> failures = new ArrayList<>();
    for (SignScheme sc : SIGN_SCHEMES) {
      if (!has(sc.cap())) {
        assertSignRefused(sc.spec());
        continue;
      }
      if (!has(sc.spec().generateCapability())) {
        assertGenerateRefused(sc.spec()); // can sign, but no key of this type can be made here
        continue;
      }
      Map<String, String> messages = source.messages(sc);
      KeyHandle k = driver().generateKey(sc.spec(), label("sign"));
      PublicKey pub = driver().publicKey(k);
      for (Map.Entry<String, String> m : messages.entrySet()) {
        byte[] msg = HexFormat.of().parseHex(m.getKey());
        try {
          byte[] sig = driver().sign(k, msg);
          if (sc.spec() == KeySpec.EC_P256) {
            assertStrictDer(sig);
          }
          Signature v = Signature.getInstance(sc.jcaAlg());
          if (sc.spec() == KeySpec.RSA_2048) {
            v.setParameter(
                new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
          }
          v.initVerify(pub);
          v.update(msg);
          if (!v.verify(sig)) {
            failures.add(sc.cap() + " " + m.getValue() + ": signature does not verify");
          }
        } catch (Exception | AssertionError e) {
          failures.add(sc.cap() + " " + m.getValue() + ": " + e);
        }
      }
      System.out.println(
          "[contract] " + sc.cap() + ": signed and verified " + messages.size() + " " + what);
    }
    assertThat(failures).isEmpty();
  }
}
