package dev.fleetvault.driver.kmip.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.kmip.testing.PyKmipExtension;
import dev.fleetvault.driver.kmip.testing.PyKmipServer;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.CryptographicAlgorithm;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.KeyFormatType;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ObjectType;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.Operation;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.QueryFunction;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ResultReason;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.RevocationReasonCode;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.UsageMask;
import dev.fleetvault.driver.kmip.ttlv.Tag;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every client operation against a real PyKMIP 0.10 server. */
@org.junit.jupiter.api.Tag("process")
@ExtendWith(PyKmipExtension.class)
class KmipClientPyKmipTest {
  private static KmipClient client;
  private static final SecureRandom RANDOM = new SecureRandom();

  @BeforeAll
  static void connect(PyKmipServer server) throws Exception {
    client = KmipClient.connect(server.clientConfig().maxConnections(3).build());
  }

  @AfterAll
  static void close() {
    if (client != null) {
      client.close();
    }
  }

  private static String label() {
    return "t-" + UUID.randomUUID();
  }

  private static String createActiveAes(String name, int mask) throws KmipException {
    String id =
        client.create(
            ObjectType.SYMMETRIC_KEY,
            List.of(
                Attribute.algorithm(CryptographicAlgorithm.AES),
                Attribute.length(256),
                Attribute.usageMask(mask),
                Attribute.name(name)));
    client.activate(id);
    return id;
  }

  @Test
  void connect_discoverVersions_negotiates14() throws Exception {
    assertThat(client.protocolVersion()).isEqualTo(ProtocolVersion.V1_4);
    assertThat(
            client.discoverVersions(List.of(new ProtocolVersion(1, 3), new ProtocolVersion(9, 9))))
        .containsExactly(new ProtocolVersion(1, 3));
  }

  @Test
  void query_operationsAndServerInformation_listsPyKmip() throws Exception {
    QueryResult q =
        client.query(
            QueryFunction.QUERY_OPERATIONS,
            QueryFunction.QUERY_OBJECTS,
            QueryFunction.QUERY_SERVER_INFORMATION);
    assertThat(q.operations())
        .contains(
            Operation.CREATE,
            Operation.CREATE_KEY_PAIR,
            Operation.ENCRYPT,
            Operation.DECRYPT,
            Operation.SIGN,
            Operation.MAC,
            Operation.LOCATE,
            Operation.DISCOVER_VERSIONS);
    assertThat(q.operations()).doesNotContain(Operation.RNG_RETRIEVE);
    assertThat(q.vendorIdentification()).hasValueSatisfying(v -> assertThat(v).contains("PyKMIP"));
  }

  @Test
  void encryptDecrypt_aesGcmWithAad_matchesJdkAndChecksTag() throws Exception {
    String id = createActiveAes(label(), UsageMask.ENCRYPT | UsageMask.DECRYPT);
    byte[] iv = new byte[12];
    RANDOM.nextBytes(iv);
    byte[] pt = "backup share".getBytes(StandardCharsets.UTF_8);
    byte[] aad = "user-1|v3".getBytes(StandardCharsets.UTF_8);
    EncryptResult r = client.encrypt(id, CryptographicParameters.aesGcm(16), pt, iv, aad);
    assertThat(r.tag()).hasSize(16);
    assertThat(r.data()).hasSize(pt.length).isNotEqualTo(pt);

    assertThat(client.decrypt(id, CryptographicParameters.aesGcm(16), r.data(), iv, aad, r.tag()))
        .isEqualTo(pt);

    byte[] badAad = "user-2|v3".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () ->
                client.decrypt(
                    id, CryptographicParameters.aesGcm(16), r.data(), iv, badAad, r.tag()))
        .isInstanceOfSatisfying(
            KmipException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(KmipException.Kind.OPERATION_FAILED);
              assertThat(e.isRetryable()).isFalse();
            });
    byte[] badTag = r.tag().clone();
    badTag[0] ^= 1;
    assertThatThrownBy(
            () -> client.decrypt(id, CryptographicParameters.aesGcm(16), r.data(), iv, aad, badTag))
        .isInstanceOf(KmipException.class);
  }

  @Test
  void get_symmetricKey_gcmAgreesWithJdk() throws Exception {
    // PyKMIP has no extractability control: Get returns the raw key. We use it once to check
    // the server's GCM output against the JDK's AES-GCM byte for byte.
    String id = createActiveAes(label(), UsageMask.ENCRYPT | UsageMask.DECRYPT);
    ManagedKey k = client.get(id);
    assertThat(k.objectType()).isEqualTo(ObjectType.SYMMETRIC_KEY.code());
    assertThat(k.material()).hasSize(32);
    byte[] iv = new byte[12];
    RANDOM.nextBytes(iv);
    byte[] pt = new byte[77];
    RANDOM.nextBytes(pt);
    byte[] aad = {1, 2, 3};
    EncryptResult r = client.encrypt(id, CryptographicParameters.aesGcm(16), pt, iv, aad);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(
        Cipher.DECRYPT_MODE, new SecretKeySpec(k.material(), "AES"), new GCMParameterSpec(128, iv));
    c.updateAAD(aad);
    byte[] both = new byte[r.data().length + 16];
    System.arraycopy(r.data(), 0, both, 0, r.data().length);
    System.arraycopy(r.tag(), 0, both, r.data().length, 16);
    assertThat(c.doFinal(both)).isEqualTo(pt);
  }

  @Test
  void createKeyPair_signPss_verifiesOnServerAndInJdkWithMaxSalt() throws Exception {
    String name = label();
    KeyPairIds ids =
        client.createKeyPair(
            List.of(Attribute.algorithm(CryptographicAlgorithm.RSA), Attribute.length(2048)),
            List.of(Attribute.usageMask(UsageMask.SIGN), Attribute.name(name)),
            List.of(Attribute.usageMask(UsageMask.VERIFY), Attribute.name(name)));
    List<BatchResult> act =
        client.batch(
            List.of(
                KmipClient.activateItem(ids.privateKeyId()),
                KmipClient.activateItem(ids.publicKeyId())),
            true);
    assertThat(act).allMatch(BatchResult::ok);

    byte[] msg = "checkpoint 42".getBytes(StandardCharsets.UTF_8);
    byte[] sig = client.sign(ids.privateKeyId(), CryptographicParameters.rsaPssSha256(-1), msg);
    assertThat(sig).hasSize(256);
    assertThat(
            client.signatureVerify(
                ids.publicKeyId(), CryptographicParameters.rsaPssSha256(-1), msg, sig))
        .isTrue();
    byte[] other = "checkpoint 43".getBytes(StandardCharsets.UTF_8);
    assertThat(
            client.signatureVerify(
                ids.publicKeyId(), CryptographicParameters.rsaPssSha256(-1), other, sig))
        .isFalse();

    ManagedKey pub = client.get(ids.publicKeyId());
    assertThat(pub.keyFormatType()).isEqualTo(KeyFormatType.PKCS_1.code());
    PublicKey pk = rsaFromPkcs1(pub.material());
    assertThat(((RSAPublicKey) pk).getModulus().bitLength()).isEqualTo(2048);
    // PyKMIP 0.10 uses the maximum PSS salt (emLen - hLen - 2 = 222 bytes), not 32.
    assertThat(verifyPss(pk, msg, sig, 222)).isTrue();
    assertThat(verifyPss(pk, msg, sig, 32)).isFalse();
  }

  static PublicKey rsaFromPkcs1(byte[] der) throws Exception {
    var seq = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der);
    return KeyFactory.getInstance("RSA")
        .generatePublic(new RSAPublicKeySpec(seq.getModulus(), seq.getPublicExponent()));
  }

  static boolean verifyPss(PublicKey pk, byte[] msg, byte[] sig, int salt) throws Exception {
    Signature v = Signature.getInstance("RSASSA-PSS");
    v.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, salt, 1));
    v.initVerify(pk);
    v.update(msg);
    return v.verify(sig);
  }

  @Test
  void mac_hmacSha256_matchesJdk() throws Exception {
    // PyKMIP creates only cipher keys; its MAC uses the key bytes of an AES key with the requested
    // HMAC.
    String id = createActiveAes(label(), UsageMask.MAC_GENERATE);
    byte[] data = "mac me".getBytes(StandardCharsets.UTF_8);
    byte[] mac =
        client.mac(id, CryptographicParameters.hmac(CryptographicAlgorithm.HMAC_SHA256), data);
    Mac jdk = Mac.getInstance("HmacSHA256");
    jdk.init(new SecretKeySpec(client.get(id).material(), "HmacSHA256"));
    assertThat(mac).isEqualTo(jdk.doFinal(data));
  }

  @Test
  void locate_byName_findsOnlyThatObject() throws Exception {
    String name = label();
    String id = createActiveAes(name, UsageMask.ENCRYPT);
    createActiveAes(label(), UsageMask.ENCRYPT);
    assertThat(client.locateByName(name, 10)).containsExactly(id);
    assertThat(client.locateByName(label(), 10)).isEmpty();
  }

  @Test
  void getAttributes_batched_returnsTypeAndName() throws Exception {
    String name = label();
    String id = createActiveAes(name, UsageMask.ENCRYPT);
    List<BatchResult> rs =
        client.batch(
            List.of(
                KmipClient.getAttributesItem(id, Attribute.OBJECT_TYPE, Attribute.NAME),
                KmipClient.getAttributesItem("no-such-object-" + name, Attribute.OBJECT_TYPE)),
            false);
    assertThat(rs).hasSize(2);
    List<Attribute> attrs = KmipClient.attributesOf(rs.get(0).payloadOrThrow());
    assertThat(attrs)
        .anySatisfy(
            a -> {
              assertThat(a.name()).isEqualTo(Attribute.OBJECT_TYPE);
              assertThat(a.value().asEnum()).isEqualTo(ObjectType.SYMMETRIC_KEY.code());
            });
    assertThat(attrs.stream().filter(a -> a.name().equals(Attribute.NAME)).toList())
        .singleElement()
        .satisfies(a -> assertThat(a.nameText()).isEqualTo(name));
    assertThat(rs.get(1).ok()).isFalse();
    assertThat(rs.get(1).reason()).isEqualTo(ResultReason.ITEM_NOT_FOUND.code());
  }

  @Test
  void revokeDestroy_activeKey_goneAfterwards() throws Exception {
    String name = label();
    String id = createActiveAes(name, UsageMask.ENCRYPT);
    assertThatThrownBy(() -> client.destroy(id))
        .isInstanceOfSatisfying(
            KmipException.class,
            e -> assertThat(e.reason()).isEqualTo(ResultReason.PERMISSION_DENIED));
    client.revoke(id, RevocationReasonCode.CESSATION_OF_OPERATION, "test");
    client.destroy(id);
    assertThat(client.locateByName(name, 10)).isEmpty();
    assertThatThrownBy(() -> client.get(id))
        .isInstanceOfSatisfying(
            KmipException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ResultReason.ITEM_NOT_FOUND);
              assertThat(e.getMessage()).contains("GET").contains("ITEM_NOT_FOUND");
            });
  }

  @Test
  void batch_stopOnError_laterItemsUndone() throws Exception {
    List<BatchResult> rs =
        client.batch(
            List.of(
                KmipClient.activateItem("no-such-id"),
                KmipClient.getAttributesItem("no-such-id", Attribute.STATE)),
            true);
    assertThat(rs.get(0).ok()).isFalse();
    assertThat(rs.get(1).ok()).isFalse();
  }

  @Test
  void concurrentCalls_morThanPool_allSucceed() throws Exception {
    String id = createActiveAes(label(), UsageMask.ENCRYPT | UsageMask.DECRYPT);
    ExecutorService ex = Executors.newFixedThreadPool(8);
    try {
      List<Future<byte[]>> fs = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        byte[] pt = ("m" + i).getBytes(StandardCharsets.UTF_8);
        Callable<byte[]> task =
            () -> {
              byte[] iv = new byte[12];
              RANDOM.nextBytes(iv);
              EncryptResult r = client.encrypt(id, CryptographicParameters.aesGcm(16), pt, iv, pt);
              return client.decrypt(
                  id, CryptographicParameters.aesGcm(16), r.data(), iv, pt, r.tag());
            };
        fs.add(ex.submit(task));
      }
      for (int i = 0; i < fs.size(); i++) {
        assertThat(new String(fs.get(i).get(), StandardCharsets.UTF_8)).isEqualTo("m" + i);
      }
    } finally {
      ex.shutdownNow();
    }
  }

  @Test
  void connect_clientCertWithoutClientAuthEku_refused(PyKmipServer server) throws Exception {
    var ctx =
        KmipTls.fromPem(
            server.dir().resolve("noauth.crt"),
            server.dir().resolve("noauth.key"),
            server.dir().resolve("ca.crt"));
    var cfg = KmipClientConfig.builder("127.0.0.1", server.port(), ctx).build();
    assertThatThrownBy(() -> KmipClient.connect(cfg))
        .isInstanceOfSatisfying(
            KmipException.class,
            e ->
                assertThat(e.kind())
                    .as(e.getMessage())
                    .isEqualTo(KmipException.Kind.TLS)); // the server's OpenSSL checks the EKU
  }

  @Test
  void connect_untrustedServer_tlsFailure(PyKmipServer server) throws Exception {
    var otherCa = server.dir().resolve("other-ca.crt");
    dev.fleetvault.driver.kmip.testing.TestPki.create("Other CA").writeCa(otherCa);
    var ctx =
        KmipTls.fromPem(
            server.dir().resolve("client.crt"), server.dir().resolve("client.key"), otherCa);
    var cfg = KmipClientConfig.builder("127.0.0.1", server.port(), ctx).build();
    assertThatThrownBy(() -> KmipClient.connect(cfg))
        .isInstanceOfSatisfying(
            KmipException.class, e -> assertThat(e.kind()).isEqualTo(KmipException.Kind.TLS));
  }

  @Test
  void connect_nothingListening_retryableTransportError() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    var cfg =
        KmipClientConfig.builder("127.0.0.1", port, javax.net.ssl.SSLContext.getDefault()).build();
    assertThatThrownBy(() -> KmipClient.connect(cfg))
        .isInstanceOfSatisfying(
            KmipException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(KmipException.Kind.TRANSPORT);
              assertThat(e.isRetryable()).isTrue();
            });
  }

  @Test
  void connect_withUsernamePasswordCredential_serverAcceptsHeader(PyKmipServer server)
      throws Exception {
    char[] pw = "s3cret".toCharArray();
    KmipClientConfig cfg = server.clientConfig().credential("fleetvault-dc1", pw).build();
    assertThat(cfg.toString()).doesNotContain("s3cret").contains("password=***");
    try (KmipClient c = KmipClient.connect(cfg)) {
      assertThat(c.query(QueryFunction.QUERY_OPERATIONS).operations()).contains(Operation.ENCRYPT);
    }
    assertThat(new String(pw)).isEqualTo("s3cret"); // the caller's array is copied, not consumed
  }

  @Test
  void call_afterClose_closedError(PyKmipServer server) throws Exception {
    KmipClient c = KmipClient.connect(server.clientConfig().build());
    c.close();
    assertThatThrownBy(() -> c.query(QueryFunction.QUERY_OPERATIONS))
        .isInstanceOfSatisfying(
            KmipException.class, e -> assertThat(e.kind()).isEqualTo(KmipException.Kind.CLOSED));
    assertThat(Tag.name(Tag.UNIQUE_IDENTIFIER)).isEqualTo("UNIQUE_IDENTIFIER");
  }
}
