package dev.fleetvault.bundles.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.evidence.EvidenceReport.Status;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The evidence verifier and its policy on packages built in memory (PKCS#11-like and soft members).
 */
class EvidenceVerifierTest {
  private static final KeyPair ALICE = ed25519();
  private static final KeyPair BOB = ed25519();
  private static final WitnessPolicy WITNESSES =
      new WitnessPolicy(
          Map.of("alice", ALICE.getPublic().getEncoded(), "bob", BOB.getPublic().getEncoded()), 2);
  private static final Map<String, String> HSM_FACTS_TOKEN =
      Map.of(
          "CKA_LOCAL",
          "true",
          "CKA_NEVER_EXTRACTABLE",
          "true",
          "CKA_ALWAYS_SENSITIVE",
          "true",
          "CKA_EXTRACTABLE",
          "false");

  /** One member under construction. */
  private static final class Member {
    final String id;
    final KeyPair sign = p256();
    final KeyPair hpke = p256();
    final KeyPair device = p256();
    KeyPair signer = sign;
    String driver = "pkcs11";
    UnaryOperator<KeyFacts> edit = k -> k;

    Member(String id) {
      this.id = id;
    }

    byte[] statementFile() throws Exception {
      List<KeyFacts> keys = new ArrayList<>();
      for (String role : List.of("hpke", "seal", "sign")) {
        byte[] spki =
            role.equals("seal")
                ? new byte[0]
                : (role.equals("hpke") ? hpke : sign).getPublic().getEncoded();
        KeyFacts k =
            new KeyFacts(
                role,
                "fleetvault." + id + "." + role,
                role.equals("seal") ? "AES_256" : "EC_P256",
                "id-" + role,
                spki,
                Optional.of(
                    new KeyFacts.Provenance(
                        true, true, true, false, "PKCS#11 C_GetAttributeValue", HSM_FACTS_TOKEN)),
                "",
                Optional.empty());
        keys.add(edit.apply(k));
      }
      Map<String, String> hsm =
          new TreeMap<>(
              Map.of(
                  "driver",
                  driver,
                  "vendor",
                  "SoftHSM project",
                  "model",
                  "SoftHSM v2",
                  "serial",
                  "s-" + id,
                  "firmware",
                  "2.06",
                  "library",
                  "SoftHSM 2.6"));
      KeyStatement s =
          new KeyStatement(
              "prod",
              3,
              id,
              "dc-" + id,
              1767225600,
              Crypto.uncompressed((ECPublicKey) hpke.getPublic()),
              Crypto.uncompressed((ECPublicKey) sign.getPublic()),
              Map.of("mode", "files", "cert_sha256", "ab".repeat(32), "subject", "CN=" + id),
              hsm,
              keys,
              new byte[32],
              "file:dist.tar",
              new byte[32]);
      Signature sig = Signature.getInstance("SHA256withECDSA");
      sig.initSign(signer.getPrivate());
      sig.update(s.signingInput());
      return s.toSignedJson(sig.sign());
    }

    /** A soft-driver development attestation of {@code k} by this member's device key. */
    KeyFacts.AttestationData devAttestation(KeyFacts k, KeyPair by) throws Exception {
      Base64.Encoder b = Base64.getEncoder();
      String body =
          SoftDevAttestationVerifier.FORMAT
              + "\nnotice: DEVELOPMENT ATTESTATION\ndevice_key: "
              + b.encodeToString(by.getPublic().getEncoded())
              + "\ndevice_id: d\nkey_label: "
              + k.label()
              + "\nkey_spec: "
              + k.spec()
              + "\nkey_id: "
              + k.keyId()
              + "\npublic_key: "
              + (k.publicKeySpki().length == 0 ? "-" : b.encodeToString(k.publicKeySpki()))
              + "\ngenerated_in_driver: true\nexportable: false\n";
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(by.getPrivate());
      s.update(body.getBytes(StandardCharsets.UTF_8));
      return new KeyFacts.AttestationData(
          SoftDevAttestationVerifier.FORMAT,
          (body + "signature: " + b.encodeToString(s.sign()) + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  private record Built(Map<String, byte[]> files, FleetArtifact artifact) {}

  private static Built build(List<Member> members) throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    List<Transcript.Entry> entries = new ArrayList<>();
    List<FleetMember> fm = new ArrayList<>();
    for (Member m : members) {
      byte[] st = m.statementFile();
      files.put("statements/" + m.id + ".json", st);
      entries.add(new Transcript.Entry(m.id, "statements/" + m.id + ".json", Crypto.sha256(st)));
      fm.add(
          new FleetMember(
              m.id,
              "dc-" + m.id,
              Crypto.uncompressed((ECPublicKey) m.hpke.getPublic()),
              Crypto.uncompressed((ECPublicKey) m.sign.getPublic()),
              FleetMember.ROLE_MEMBER));
    }
    Transcript t = new Transcript("prod", 3, members.size() / 2 + 1, 1767225600, entries);
    files.put(EvidenceVerifier.TRANSCRIPT, t.toCanonicalJson());
    List<WitnessSignature> ws = new ArrayList<>();
    for (Map.Entry<String, KeyPair> w : Map.of("alice", ALICE, "bob", BOB).entrySet()) {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(w.getValue().getPrivate());
      s.update(t.witnessInput());
      ws.add(
          new WitnessSignature(
              w.getKey(), SpkiKeys.ed25519Raw(w.getValue().getPublic().getEncoded()), s.sign()));
    }
    files.put(EvidenceVerifier.WITNESSES, WitnessSignature.encodeAll(ws));
    EvidenceManifest mf = EvidenceManifest.of(files);
    files.put(EvidenceManifest.PATH, mf.toCanonicalJson());
    FleetArtifact a =
        new FleetArtifact(
            FleetArtifact.NAMESPACE,
            "prod",
            3,
            members.size() / 2 + 1,
            fm,
            Instant.ofEpochSecond(1767225600),
            Instant.ofEpochSecond(1798761600),
            mf.digest());
    return new Built(files, a);
  }

  private static List<Member> three() {
    return new ArrayList<>(List.of(new Member("m1"), new Member("m2"), new Member("m3")));
  }

  private static EvidenceReport verify(Built b, EvidencePolicy policy, AttestationVerifiers av) {
    EvidenceReport r =
        new EvidenceVerifier(WITNESSES, policy, av).verify(b.files(), Optional.of(b.artifact()));
    r.checks().forEach(System.out::println);
    System.out.println(r.verdict());
    return r;
  }

  private static EvidenceReport verify(Built b) {
    return verify(b, EvidencePolicy.STRICT, AttestationVerifiers.load());
  }

  private static List<String> failures(EvidenceReport r) {
    return r.failures().stream().map(EvidenceReport.Check::toString).toList();
  }

  @Test
  void verify_pkcs11MembersWithTokenProvenance_verified() throws Exception {
    EvidenceReport r = verify(build(three()));
    assertThat(r.verified()).isTrue();
    assertThat(r.verdict()).startsWith("VERIFIED");
    assertThat(r.checks())
        .anySatisfy(c -> assertThat(c.toString()).contains("PASS statement m2: key seal"));
  }

  @Test
  void verify_keyImportedIntoToken_refusedByPolicyNamingCkaLocal() throws Exception {
    List<Member> ms = three();
    // As SoftHSM2 reports a key imported with C_CreateObject (Pkcs11KeyProvenanceTest).
    ms.get(1).edit =
        k ->
            k.role().equals("sign")
                ? new KeyFacts(
                    k.role(),
                    k.label(),
                    k.spec(),
                    k.keyId(),
                    k.publicKeySpki(),
                    Optional.of(
                        new KeyFacts.Provenance(
                            false, false, false, false, "PKCS#11", Map.of("CKA_LOCAL", "false"))),
                    "",
                    Optional.empty())
                : k;
    EvidenceReport r = verify(build(ms));
    assertThat(r.verified()).isFalse();
    assertThat(failures(r))
        .singleElement()
        .asString()
        .contains(
            "FAIL statement m2: key sign (fleetvault.m2.sign): refused by policy",
            "not generated on the device (CKA_LOCAL=false: imported)");
  }

  @Test
  void verify_extractableKey_refusedByPolicy() throws Exception {
    List<Member> ms = three();
    ms.get(0).edit =
        k ->
            k.role().equals("seal")
                ? new KeyFacts(
                    k.role(),
                    k.label(),
                    k.spec(),
                    k.keyId(),
                    k.publicKeySpki(),
                    Optional.of(
                        new KeyFacts.Provenance(
                            true, false, true, true, "PKCS#11", Map.of("CKA_EXTRACTABLE", "true"))),
                    "",
                    Optional.empty())
                : k;
    EvidenceReport r = verify(build(ms));
    assertThat(failures(r))
        .singleElement()
        .asString()
        .contains("statement m1: key seal", "extractable (CKA_EXTRACTABLE=true)");
  }

  @Test
  void verify_keyWithoutProvenance_refusedNamingTheReason() throws Exception {
    List<Member> ms = three();
    ms.get(2).driver = "kmip";
    ms.get(2).edit =
        k ->
            new KeyFacts(
                k.role(),
                k.label(),
                k.spec(),
                k.keyId(),
                k.publicKeySpki(),
                Optional.empty(),
                "kmip: the server offers no attribute proving on-server generation",
                Optional.empty());
    EvidenceReport r = verify(build(ms));
    assertThat(failures(r))
        .hasSize(3)
        .allSatisfy(
            f ->
                assertThat(f)
                    .contains("statement m3: key", "no proof of generation in the HSM: kmip"));
  }

  @Test
  void verify_statementSignedByAnotherKey_wrongMemberSignature() throws Exception {
    List<Member> ms = three();
    ms.get(1).signer = p256();
    EvidenceReport r = verify(build(ms));
    assertThat(failures(r))
        .anySatisfy(
            f -> assertThat(f).contains("FAIL statement m2: signature", "wrong member signature"));
    assertThat(failures(r))
        .anySatisfy(f -> assertThat(f).contains("artifact member m2", "no verified key statement"));
  }

  @Test
  void verify_tamperedAttestation_doesNotVerify() throws Exception {
    List<Member> ms = three();
    Member m = ms.get(0);
    m.edit =
        k -> {
          try {
            byte[] a = m.devAttestation(k, m.device).bytes();
            if (k.role().equals("hpke")) {
              String s =
                  new String(a, StandardCharsets.UTF_8)
                      .replace("exportable: false", "exportable: falsE");
              a = s.getBytes(StandardCharsets.UTF_8);
            }
            return new KeyFacts(
                k.role(),
                k.label(),
                k.spec(),
                k.keyId(),
                k.publicKeySpki(),
                k.provenance(),
                "",
                Optional.of(new KeyFacts.AttestationData(SoftDevAttestationVerifier.FORMAT, a)));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    EvidenceReport r = verify(build(ms));
    assertThat(failures(r))
        .singleElement()
        .asString()
        .contains(
            "statement m1: key hpke",
            "attestation",
            "does not verify: signature does not verify with the device key it names");
    assertThat(r.checks())
        .anySatisfy(
            c -> {
              assertThat(c.status()).isEqualTo(Status.WARN);
              assertThat(c.detail()).contains("development attestation", "no hardware root");
            });
  }

  @Test
  void verify_attestationByUnpinnedDeviceKey_doesNotChain() throws Exception {
    List<Member> ms = three();
    Member m = ms.get(0);
    KeyPair pinned = p256();
    m.edit =
        k -> {
          try {
            return new KeyFacts(
                k.role(),
                k.label(),
                k.spec(),
                k.keyId(),
                k.publicKeySpki(),
                k.provenance(),
                "",
                Optional.of(m.devAttestation(k, m.device)));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    EvidenceReport r =
        verify(
            build(ms),
            EvidencePolicy.STRICT,
            AttestationVerifiers.of(
                List.of(new SoftDevAttestationVerifier(List.of(pinned.getPublic().getEncoded())))));
    assertThat(failures(r))
        .hasSize(3)
        .allSatisfy(
            f -> assertThat(f).contains("does not chain", "is not one of the pinned device keys"));
  }

  @Test
  void verify_attestationOfAnotherKey_refused() throws Exception {
    List<Member> ms = three();
    Member m = ms.get(0);
    m.edit =
        k -> {
          try {
            KeyFacts other =
                new KeyFacts(
                    k.role(),
                    "other.label",
                    k.spec(),
                    k.keyId(),
                    k.publicKeySpki(),
                    k.provenance(),
                    "",
                    Optional.empty());
            return new KeyFacts(
                k.role(),
                k.label(),
                k.spec(),
                k.keyId(),
                k.publicKeySpki(),
                k.provenance(),
                "",
                Optional.of(m.devAttestation(other, m.device)));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    EvidenceReport r = verify(build(ms));
    assertThat(failures(r))
        .hasSize(3)
        .allSatisfy(f -> assertThat(f).contains("attests a different key (other.label"));
  }

  @Test
  void verify_unknownAttestationFormat_noVerifierInstalled() throws Exception {
    List<Member> ms = three();
    ms.get(2).edit =
        k ->
            k.role().equals("sign")
                ? new KeyFacts(
                    k.role(),
                    k.label(),
                    k.spec(),
                    k.keyId(),
                    k.publicKeySpki(),
                    k.provenance(),
                    "",
                    Optional.of(
                        new KeyFacts.AttestationData(
                            "vendor-x-attestation-v9", new byte[] {1, 2, 3})))
                : k;
    EvidenceReport r = verify(build(ms));
    assertThat(failures(r))
        .singleElement()
        .asString()
        .contains(
            "statement m3: key sign", "no verifier installed for format vendor-x-attestation-v9");
  }

  @Test
  void verify_hardwareAttestationRequiredButNone_refused() throws Exception {
    EvidenceReport r =
        verify(
            build(three()),
            EvidencePolicy.STRICT.requiringHardwareAttestation(),
            AttestationVerifiers.load());
    assertThat(failures(r))
        .hasSize(3)
        .allSatisfy(f -> assertThat(f).contains("hardware-rooted attestation for every key"));
  }

  @Test
  void verify_softDriverMember_refusedUnlessDevelopmentPolicy() throws Exception {
    List<Member> ms = three();
    ms.get(0).driver = "soft";
    Built b = build(ms);
    assertThat(failures(verify(b)))
        .singleElement()
        .asString()
        .contains("statement m1: hsm", "software driver");
    assertThat(
            verify(b, EvidencePolicy.STRICT.allowingSoftDriver(), AttestationVerifiers.load())
                .verified())
        .isTrue();
  }

  @Test
  void verify_duplicateWitnessSignature_countedOnce() throws Exception {
    Built b = build(three());
    List<WitnessSignature> ws =
        new ArrayList<>(WitnessSignature.parseAll(b.files().get(EvidenceVerifier.WITNESSES)));
    WitnessSignature alice =
        ws.stream().filter(w -> w.name().equals("alice")).findFirst().orElseThrow();
    ws.removeIf(w -> w.name().equals("bob"));
    ws.add(alice);
    Map<String, byte[]> files = new TreeMap<>(b.files());
    files.put(EvidenceVerifier.WITNESSES, WitnessSignature.encodeAll(ws));
    files.remove(EvidenceManifest.PATH);
    EvidenceManifest mf = EvidenceManifest.of(files);
    files.put(EvidenceManifest.PATH, mf.toCanonicalJson());
    EvidenceReport r =
        new EvidenceVerifier(WITNESSES, EvidencePolicy.STRICT, AttestationVerifiers.load())
            .verify(files, Optional.empty());
    r.checks().forEach(System.out::println);
    assertThat(r.checks())
        .anySatisfy(c -> assertThat(c.toString()).contains("WARN witness alice: duplicate"));
    assertThat(failures(r))
        .singleElement()
        .asString()
        .contains("witness quorum: only 1 distinct", "missing: [bob]");
  }

  @Test
  void checkArtifact_emptyDigestOrMinorityThreshold_refusedByDefault() throws Exception {
    Built b = build(three());
    FleetArtifact a = b.artifact();
    FleetArtifact empty =
        new FleetArtifact(
            a.namespace(),
            a.fleetId(),
            a.epoch(),
            a.threshold(),
            a.members(),
            a.notBefore(),
            a.notAfter(),
            new byte[0]);
    FleetArtifact t1 =
        new FleetArtifact(
            a.namespace(),
            a.fleetId(),
            a.epoch(),
            1,
            a.members(),
            a.notBefore(),
            a.notAfter(),
            a.evidenceDigest());
    assertThat(EvidencePolicy.STRICT.checkArtifact(a)).isEmpty();
    assertThat(EvidencePolicy.STRICT.checkArtifact(empty))
        .singleElement()
        .asString()
        .contains("empty evidence_digest");
    assertThat(EvidencePolicy.development().checkArtifact(empty)).isEmpty();
    assertThat(EvidencePolicy.STRICT.checkArtifact(t1))
        .singleElement()
        .asString()
        .contains("threshold 1 is not the majority of its 3 members (2)");
  }

  @Test
  void verify_missingStatementFile_rejected() throws Exception {
    Built b = build(three());
    Map<String, byte[]> files = new TreeMap<>(b.files());
    files.remove("statements/m3.json");
    EvidenceReport r =
        new EvidenceVerifier(WITNESSES, EvidencePolicy.STRICT, AttestationVerifiers.load())
            .verify(files, Optional.of(b.artifact()));
    assertThat(failures(r))
        .anySatisfy(
            f ->
                assertThat(f)
                    .contains("file statements/m3.json: listed in the manifest but missing"));
  }

  private static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
