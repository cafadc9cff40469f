package dev.fleetvault.bundles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetArtifactTest {
  @Test
  void toCanonicalJson_roundTripsByteExactly() {
    FleetArtifact a = TestLog.artifact(7);
    byte[] json = a.toCanonicalJson();
    String s = new String(json, StandardCharsets.UTF_8);
    assertThat(s)
        .startsWith(
            "{\"epoch\":7,\"evidence_digest\":\"\",\"fleet_id\":\"local\",\"members\":[{\"data_center\":\"dc1\",");
    assertThat(s).contains("\"namespace\":\"fleetvault.fleet_keys.v1\"").doesNotContain(" ");
    assertThat(FleetArtifact.parse(json)).isEqualTo(a);
    assertThat(FleetArtifact.parse(json).digest()).isEqualTo(a.digest());
  }

  /** A self-signed P-256 certificate (CN=m1, SANs m1 and 127.0.0.1), DER, base64. */
  static final String CERT_B64 =
      "MIIBhDCCASqgAwIBAgIUHtp4QITFDl3CvsT/Nlrqlc+XKLowCgYIKoZIzj0EAwIwDTELMAkGA1UEAwwCbTEwHhcNMjYxMjA3MTY0OTM1WhcNMzYxMjA0MTY0OTM1WjANMQswCQYDVQQDDAJtMTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABHl+OMFioJ3Dlre6wNt3kNvjKoBsciW9pQ/2/Kn+F5ddsrRMfK+8hbOIgO08RMkjAqvKVLqwIs8gAOnvAvbXbQujaDBmMB0GA1UdDgQWBBQxhyM1hT98P2qUvdmYGKN4Cep12DAfBgNVHSMEGDAWgBQxhyM1hT98P2qUvdmYGKN4Cep12DAPBgNVHRMBAf8EBTADAQH/MBMGA1UdEQQMMAqCAm0xhwR/AAABMAoGCCqGSM49BAMCA0gAMEUCIH0FKKzbhCCbuwmV9stYIRMOXDxwJ7/7KEZDupP/gamTAiEA9rRsFoWKbtES6bXuHT4as7u+MrHnNP048qzbB5tP4XM=";

  private static FleetArtifact withCertificateOnM1(FleetArtifact a) {
    List<FleetMember> ms = new ArrayList<>(a.members());
    ms.set(0, ms.get(0).withPeerTlsCertificate(java.util.Base64.getDecoder().decode(CERT_B64)));
    return new FleetArtifact(
        a.namespace(),
        a.fleetId(),
        a.epoch(),
        a.threshold(),
        ms,
        a.notBefore(),
        a.notAfter(),
        a.evidenceDigest());
  }

  @Test
  void toCanonicalJson_memberWithPeerTlsCertificate_carriesItInSortedPlaceAndRoundTrips() {
    FleetArtifact plain = TestLog.artifact(3);
    FleetArtifact a = withCertificateOnM1(plain);
    String s = new String(a.toCanonicalJson(), StandardCharsets.UTF_8);
    assertThat(s)
        .contains(
            "\"id\":\"m1\",\"peer_tls_certificate\":\"" + CERT_B64 + "\",\"role\":\"member\",");
    assertThat(s.indexOf("peer_tls_certificate")).isEqualTo(s.lastIndexOf("peer_tls_certificate"));
    FleetArtifact back = FleetArtifact.parse(a.toCanonicalJson());
    assertThat(back).isEqualTo(a);
    assertThat(back.member("m1").orElseThrow().peerTlsCertificate())
        .isEqualTo(java.util.Base64.getDecoder().decode(CERT_B64));
    assertThat(back.member("m2").orElseThrow().hasPeerTlsCertificate()).isFalse();
    // the certificate is covered by the digest the signer signs
    assertThat(a.digest()).isNotEqualTo(plain.digest());
    assertThat(a.member("m1").orElseThrow().sameKeys(plain.member("m1").orElseThrow())).isFalse();
  }

  @Test
  void parse_badPeerTlsCertificate_rejected() {
    String s =
        new String(
            withCertificateOnM1(TestLog.artifact(1)).toCanonicalJson(), StandardCharsets.UTF_8);
    for (String bad :
        new String[] {
          s.replace(CERT_B64, ""),
          s.replace(
              CERT_B64,
              java.util.Base64.getEncoder()
                  .encodeToString("not a certificate".getBytes(StandardCharsets.UTF_8))),
          s.replace(CERT_B64, "%%%"),
        }) {
      assertThatThrownBy(() -> FleetArtifact.parse(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOf(FormatException.class);
    }
  }

  @Test
  void parse_invalidArtifacts_rejected() {
    FleetArtifact a = TestLog.artifact(1);
    String s = new String(a.toCanonicalJson(), StandardCharsets.UTF_8);
    for (String bad :
        new String[] {
          s.replace("\"threshold\":2", "\"threshold\":4"),
          s.replace("\"threshold\":2", "\"threshold\":0"),
          s.replace("fleetvault.fleet_keys.v1", "fleetvault.fleet_keys.v2"),
          s.replace("\"epoch\":1", "\"epoch\":0"),
          s.replace("\"evidence_digest\":\"\"", "\"evidence_digest\":\"00\""),
          s.replace("\"role\":\"member\"", "\"role\":\"boss\""),
          s.replace("\"namespace\"", "\"extra\":1,\"namespace\""),
          s.replace("\"id\":\"m2\"", "\"id\":\"m1\""),
        }) {
      assertThatThrownBy(() -> FleetArtifact.parse(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOf(FormatException.class);
    }
  }

  @Test
  void member_pointNotOnCurve_rejected() {
    byte[] p = TestLog.point();
    p[64] ^= 1;
    assertThatThrownBy(() -> new FleetMember("m1", "dc1", p, TestLog.point(), "member"))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining("hpke_public_key");
  }

  @Test
  void constructor_unsortedMembers_rejected() {
    List<FleetMember> ms = new ArrayList<>(TestLog.artifact(1).members());
    java.util.Collections.reverse(ms);
    assertThatThrownBy(
            () ->
                new FleetArtifact(
                    FleetArtifact.NAMESPACE,
                    "x",
                    1,
                    2,
                    ms,
                    TestLog.T0,
                    TestLog.T0.plusSeconds(1),
                    new byte[0]))
        .isInstanceOf(FormatException.class);
  }

  @Test
  void signatureMessage_encoding_isTheDocumentedLayout() {
    byte[] d = new byte[32];
    d[31] = 7;
    SignatureMessage m =
        new SignatureMessage(SignatureMessage.CIPHERSUITE_ED25519_V1, "ns.v1", 0x0102030405L, 9, d);
    byte[] e = m.encode();
    assertThat(new String(e, 0, 32, StandardCharsets.US_ASCII))
        .isEqualTo("fleetvault/signature-message/v1\0");
    assertThat(java.util.HexFormat.of().formatHex(e, 32, e.length))
        .isEqualTo(
            "0f01"
                + "05"
                + "6e732e7631"
                + "0000000102030405"
                + "0000000000000009"
                + "20"
                + "0000000000000000000000000000000000000000000000000000000000000007");
    assertThat(SignatureMessage.decode(e)).isEqualTo(m);
    assertThatThrownBy(() -> SignatureMessage.decode(java.util.Arrays.copyOf(e, e.length + 1)))
        .isInstanceOf(FormatException.class);
    assertThatThrownBy(() -> SignatureMessage.decode(java.util.Arrays.copyOf(e, e.length - 1)))
        .isInstanceOf(FormatException.class);
  }

  @Test
  void signatureMessage_docExample_matchesProtocolDoc() {
    byte[] d =
        dev.fleetvault.bundles.crypto.Crypto.sha256(
            "example artifact".getBytes(StandardCharsets.UTF_8));
    SignatureMessage m =
        new SignatureMessage(
            SignatureMessage.CIPHERSUITE_ED25519_V1, FleetArtifact.NAMESPACE, 1767225600000L, 1, d);
    assertThat(java.util.HexFormat.of().formatHex(m.encode()))
        .isEqualTo(
            "666c6565747661756c742f7369676e61747572652d6d6573736167652f763100"
                + "0f01"
                + "18"
                + "666c6565747661756c742e666c6565745f6b6579732e7631"
                + "0000019b76daa800"
                + "0000000000000001"
                + "20"
                + "e3ec35651696d0610c0d80a7c228f80f3480f3420b55dda5af71d040ab845e94");
    assertThat(
            java.util.HexFormat.of()
                .formatHex(dev.fleetvault.bundles.tlog.MerkleHash.leaf(m.encode())))
        .isEqualTo("95e60092a9757c639c3575285ab8b1dd4ae734b8f9339cc0c28bb90ba0995489");
    // the same bytes, as docs/PROTOCOL.md §13.3 prints them
    String doc = protocolMd();
    assertThat(doc)
        .contains(
            "666c6565747661756c742f7369676e61747572652d6d6573736167652f763100 0f01 18 "
                + "666c6565747661756c742e666c6565745f6b6579732e7631\n0000019b76daa800 0000000000000001 20 "
                + "e3ec35651696d0610c0d80a7c228f80f3480f3420b55dda5af71d040ab845e94\n"
                + "leaf hash = SHA-256(0x00 || message) = 95e60092a9757c639c3575285ab8b1dd4ae734b8f9339cc0c28bb90ba0995489");
  }

  private static String protocolMd() {
    String root = System.getProperty("fleetvault.root");
    java.nio.file.Path p =
        root != null
            ? java.nio.file.Path.of(root, "docs", "PROTOCOL.md")
            : java.nio.file.Path.of("..", "docs", "PROTOCOL.md");
    try {
      return java.nio.file.Files.readString(p, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new AssertionError("docs/PROTOCOL.md is not readable at " + p.toAbsolutePath(), e);
    }
  }
}
