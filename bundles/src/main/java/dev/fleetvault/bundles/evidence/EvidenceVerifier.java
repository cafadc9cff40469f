package dev.fleetvault.bundles.evidence;

import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.evidence.EvidenceReport.Check;
import dev.fleetvault.bundles.evidence.EvidenceReport.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Verifies an evidence package end to end, from bytes (no I/O): the manifest and every file's
 * SHA-256 and size, the digest against the fleet artifact, the transcript, each member's signed key
 * statement, key provenance and attestations against the {@link EvidencePolicy}, the witness
 * signatures against the {@link WitnessPolicy}, and the artifact's members against the statements.
 * Every check is one line of the {@link EvidenceReport}; any FAIL rejects.
 *
 * <p>Package layout: {@value EvidenceManifest#PATH}, {@value #TRANSCRIPT}, {@value #WITNESSES},
 * {@code statements/<member>.json}, and any log files, all listed in the manifest.
 */
public final class EvidenceVerifier {
  /** Transcript path. */
  public static final String TRANSCRIPT = "transcript.json";

  /** Witness signatures path. */
  public static final String WITNESSES = "witnesses.json";

  /** The member key roles every statement must have. */
  public static final List<String> ROLES = List.of("hpke", "seal", "sign");

  private final WitnessPolicy witnesses;
  private final EvidencePolicy policy;
  private final AttestationVerifiers attestations;

  /**
   * @param witnesses trusted witnesses (from the verifier, never from the package)
   * @param policy what to demand
   * @param attestations attestation verifier plugins
   */
  public EvidenceVerifier(
      WitnessPolicy witnesses, EvidencePolicy policy, AttestationVerifiers attestations) {
    this.witnesses = witnesses;
    this.policy = policy;
    this.attestations = attestations;
  }

  /**
   * Verifies a package.
   *
   * @param files every file of the package by relative path (including {@value
   *     EvidenceManifest#PATH})
   * @param artifact the fleet artifact whose {@code evidence_digest} must name this package, if
   *     known
   */
  public EvidenceReport verify(Map<String, byte[]> files, Optional<FleetArtifact> artifact) {
    List<Check> out = new ArrayList<>();
    byte[] manifestBytes = files.get(EvidenceManifest.PATH);
    if (manifestBytes == null) {
      out.add(fail("manifest", EvidenceManifest.PATH + " is missing"));
      return new EvidenceReport(out, "");
    }
    EvidenceManifest manifest;
    try {
      manifest = EvidenceManifest.parse(manifestBytes);
    } catch (FormatException e) {
      out.add(fail("manifest", "malformed: " + e.getMessage()));
      return new EvidenceReport(out, "");
    }
    String digest = Codec.hex(manifest.digest());
    out.add(pass("manifest", manifest.files().size() + " files listed, evidence digest " + digest));

    // 1. Files: present, size and SHA-256 as listed; nothing unlisted.
    Set<String> listed = new TreeSet<>();
    int goodFiles = 0;
    for (EvidenceManifest.FileEntry f : manifest.files()) {
      listed.add(f.path());
      byte[] b = files.get(f.path());
      if (b == null) {
        out.add(fail("file " + f.path(), "listed in the manifest but missing"));
      } else if (b.length != f.size() || !Crypto.equal(Crypto.sha256(b), f.sha256())) {
        out.add(
            fail(
                "file " + f.path(),
                "SHA-256 "
                    + Codec.hex(Crypto.sha256(b))
                    + " ("
                    + b.length
                    + " bytes) does not match the manifest's "
                    + Codec.hex(f.sha256())
                    + " ("
                    + f.size()
                    + " bytes): the file was changed"));
      } else {
        goodFiles++;
      }
    }
    for (String p : new TreeSet<>(files.keySet())) {
      if (!p.equals(EvidenceManifest.PATH) && !listed.contains(p)) {
        out.add(fail("file " + p, "present but not listed in the manifest"));
      }
    }
    if (goodFiles == manifest.files().size()) {
      out.add(pass("files", "all " + goodFiles + " files match their SHA-256 and size"));
    }

    // 2. The digest the artifact carries.
    if (artifact.isPresent()) {
      byte[] ev = artifact.get().evidenceDigest();
      if (ev.length == 0) {
        out.add(fail("artifact evidence digest", "the fleet artifact's evidence_digest is empty"));
      } else if (!Crypto.equal(ev, manifest.digest())) {
        out.add(
            fail(
                "artifact evidence digest",
                "digest mismatch: the artifact says "
                    + Codec.hex(ev)
                    + ", this package is "
                    + digest));
      } else {
        out.add(
            pass(
                "artifact evidence digest",
                "the artifact ("
                    + artifact.get().fleetId()
                    + " epoch "
                    + artifact.get().epoch()
                    + ") names this package"));
      }
      for (String p : policy.checkArtifact(artifact.get())) {
        out.add(fail("artifact policy", p));
      }
    } else {
      out.add(
          new Check(
              Status.WARN,
              "artifact evidence digest",
              "no fleet artifact given: not checked that a published fleet names this package"));
    }

    // 3. Transcript.
    Transcript transcript;
    try {
      transcript = Transcript.parse(require(files, TRANSCRIPT));
    } catch (FormatException e) {
      out.add(fail("transcript", e.getMessage()));
      return new EvidenceReport(out, digest);
    }
    out.add(
        pass(
            "transcript",
            transcript.fleetId()
                + " epoch "
                + transcript.epoch()
                + ", "
                + transcript.members().size()
                + " members, threshold "
                + transcript.threshold()));
    int n = transcript.members().size();
    if (policy.requireMajorityThreshold() && transcript.threshold() != EvidencePolicy.majority(n)) {
      out.add(
          fail(
              "transcript threshold",
              transcript.threshold()
                  + " is not the majority of "
                  + n
                  + " members ("
                  + EvidencePolicy.majority(n)
                  + ")"));
    }

    // 4. Member statements.
    Map<String, KeyStatement> statements = new LinkedHashMap<>();
    for (Transcript.Entry e : transcript.members()) {
      String who = "statement " + e.memberId();
      byte[] b = files.get(e.statementPath());
      if (b == null) {
        out.add(fail(who, e.statementPath() + " is missing"));
        continue;
      }
      if (!Crypto.equal(Crypto.sha256(b), e.statementSha256())) {
        out.add(fail(who, "SHA-256 of " + e.statementPath() + " differs from the transcript's"));
        continue;
      }
      KeyStatement.Signed signed;
      try {
        signed = KeyStatement.parseSigned(b);
      } catch (FormatException ex) {
        out.add(fail(who, "malformed: " + ex.getMessage()));
        continue;
      }
      KeyStatement s = signed.statement();
      if (!s.memberId().equals(e.memberId())
          || !s.fleetId().equals(transcript.fleetId())
          || s.epoch() != transcript.epoch()) {
        out.add(
            fail(
                who,
                "is for "
                    + s.memberId()
                    + " in "
                    + s.fleetId()
                    + " epoch "
                    + s.epoch()
                    + ", the transcript says "
                    + e.memberId()
                    + " in "
                    + transcript.fleetId()
                    + " epoch "
                    + transcript.epoch()));
        continue;
      }
      if (!signed.signatureValid()) {
        out.add(
            fail(
                who + ": signature",
                "does not verify with the member's signing key: wrong member signature"));
        continue;
      }
      out.add(
          pass(
              who + ": signature",
              "signed by its signing key " + fingerprint(s.signingPublicKey())));
      statements.put(s.memberId(), s);
      checkKeys(s, out);
    }

    // 5. Witnesses.
    checkWitnesses(files, transcript, out);

    // 6. Artifact against statements.
    if (artifact.isPresent()) {
      FleetArtifact a = artifact.get();
      if (!a.fleetId().equals(transcript.fleetId())
          || a.epoch() != transcript.epoch()
          || a.threshold() != transcript.threshold()) {
        out.add(
            fail(
                "artifact members",
                "artifact is "
                    + a.fleetId()
                    + " epoch "
                    + a.epoch()
                    + " t="
                    + a.threshold()
                    + ", transcript is "
                    + transcript.fleetId()
                    + " epoch "
                    + transcript.epoch()
                    + " t="
                    + transcript.threshold()));
      }
      Set<String> ids = new TreeSet<>();
      for (FleetMember m : a.members()) {
        ids.add(m.id());
        KeyStatement s = statements.get(m.id());
        if (s == null) {
          out.add(
              fail("artifact member " + m.id(), "has no verified key statement in the package"));
        } else if (!Arrays.equals(s.hpkePublicKey(), m.hpkePublicKey())
            || !Arrays.equals(s.signingPublicKey(), m.signingPublicKey())
            || !s.dataCenter().equals(m.dataCenter())) {
          out.add(
              fail(
                  "artifact member " + m.id(),
                  "keys or data center differ from the member's key statement"));
        } else if (!Arrays.equals(s.peerTlsCertificate(), m.peerTlsCertificate())) {
          out.add(
              fail(
                  "artifact member " + m.id(),
                  "peer TLS certificate differs from the one in the member's key statement"));
        } else {
          out.add(pass("artifact member " + m.id(), "keys match the key statement"));
        }
      }
      for (String id : statements.keySet()) {
        if (!ids.contains(id)) {
          out.add(
              fail(
                  "artifact members",
                  "statement for " + id + " but the artifact does not list it"));
        }
      }
    }

    // 7. Software.
    Set<String> software = new TreeSet<>();
    statements.values().forEach(s -> software.add(Codec.hex(s.softwareSha256())));
    if (policy.expectedSoftwareSha256().isPresent()) {
      String want = Codec.hex(policy.expectedSoftwareSha256().get());
      for (KeyStatement s : statements.values()) {
        String got = Codec.hex(s.softwareSha256());
        out.add(
            got.equals(want)
                ? pass("software " + s.memberId(), "runs the expected build " + want)
                : fail(
                    "software " + s.memberId(),
                    "runs " + got + " (" + s.softwareSource() + "), expected " + want));
      }
    } else if (software.size() > 1) {
      out.add(
          new Check(
              Status.WARN, "software", "members report different software hashes: " + software));
    } else if (!software.isEmpty()) {
      out.add(
          new Check(
              Status.WARN,
              "software",
              "all members report "
                  + software.iterator().next()
                  + " (not compared with a reproducible build: pass the expected hash)"));
    }
    return new EvidenceReport(out, digest);
  }

  private void checkKeys(KeyStatement s, List<Check> out) {
    String who = "statement " + s.memberId();
    Set<String> roles = new TreeSet<>();
    s.keys().forEach(k -> roles.add(k.role()));
    if (!roles.equals(new TreeSet<>(ROLES)) || s.keys().size() != ROLES.size()) {
      out.add(fail(who + ": keys", "must list exactly the roles " + ROLES + ", found " + roles));
      return;
    }
    KeyFacts sign = s.key("sign").orElseThrow();
    KeyFacts hpke = s.key("hpke").orElseThrow();
    try {
      if (!Arrays.equals(SpkiKeys.p256PointFromSpki(sign.publicKeySpki()), s.signingPublicKey())
          || !Arrays.equals(SpkiKeys.p256PointFromSpki(hpke.publicKeySpki()), s.hpkePublicKey())) {
        out.add(
            fail(
                who + ": keys",
                "the sign/hpke key entries do not carry the statement's public keys"));
        return;
      }
    } catch (FormatException e) {
      out.add(fail(who + ": keys", e.getMessage()));
      return;
    }
    boolean soft = "soft".equals(s.hsm().get("driver"));
    if (soft && !policy.allowSoftDriver()) {
      out.add(
          fail(
              who + ": hsm",
              "keys are in the software driver (development, not an HSM): refused by policy"
                  + " (allow only for development fleets)"));
    } else {
      out.add(
          new Check(
              soft ? Status.WARN : Status.PASS,
              who + ": hsm",
              s.hsm().get("vendor")
                  + " "
                  + s.hsm().get("model")
                  + ", serial "
                  + s.hsm().get("serial")
                  + ", firmware "
                  + s.hsm().get("firmware")
                  + (soft ? " (software driver allowed by a development policy)" : "")));
    }
    Set<String> hardwareAttested = new HashSet<>();
    for (KeyFacts k : s.keys()) {
      String kw = who + ": key " + k.role() + " (" + k.label() + ")";
      if (k.provenance().isEmpty()) {
        if (policy.requireKeyProvenance()) {
          out.add(
              fail(
                  kw,
                  "no proof of generation in the HSM: "
                      + (k.provenanceError().isEmpty()
                          ? "the device reported nothing"
                          : k.provenanceError())));
        } else {
          out.add(new Check(Status.WARN, kw, "no provenance (" + k.provenanceError() + ")"));
        }
      } else {
        KeyFacts.Provenance p = k.provenance().get();
        List<String> bad = new ArrayList<>();
        if (!p.generatedOnDevice()) {
          bad.add("not generated on the device (CKA_LOCAL=false: imported)");
        }
        if (p.extractable()) {
          bad.add("extractable (CKA_EXTRACTABLE=true)");
        }
        if (!p.neverExtractable()) {
          bad.add("has been extractable (CKA_NEVER_EXTRACTABLE=false)");
        }
        if (!p.alwaysSensitive()) {
          bad.add("has not always been sensitive (CKA_ALWAYS_SENSITIVE=false)");
        }
        if (!bad.isEmpty() && policy.requireKeyProvenance()) {
          out.add(fail(kw, "refused by policy: " + String.join("; ", bad)));
        } else if (!bad.isEmpty()) {
          out.add(new Check(Status.WARN, kw, String.join("; ", bad)));
        } else {
          out.add(
              pass(
                  kw,
                  "generated on the device, never extractable, always sensitive ("
                      + p.source()
                      + ")"));
        }
      }
      if (k.attestation().isPresent()) {
        KeyFacts.AttestationData a = k.attestation().get();
        Optional<AttestationVerifier> v = attestations.forFormat(a.format());
        if (v.isEmpty()) {
          out.add(
              fail(
                  kw + ": attestation",
                  "no verifier installed for format "
                      + a.format()
                      + " (known: "
                      + attestations.formats()
                      + ")"));
          continue;
        }
        AttestationVerifier.Result r;
        try {
          r =
              v.get()
                  .verify(
                      a.bytes(),
                      new AttestationVerifier.AttestedKey(
                          k.label(), k.spec(), k.keyId(), k.publicKeySpki()));
        } catch (RuntimeException e) {
          r = AttestationVerifier.Result.fail("verifier failed: " + e);
        }
        if (!r.ok()) {
          out.add(fail(kw + ": attestation", a.format() + " does not verify: " + r.detail()));
        } else {
          out.add(
              new Check(
                  r.hardwareRooted() ? Status.PASS : Status.WARN,
                  kw + ": attestation",
                  a.format() + ": " + r.detail()));
          if (r.hardwareRooted()) {
            hardwareAttested.add(k.role());
          }
        }
      }
    }
    if (policy.requireHardwareAttestation() && hardwareAttested.size() != ROLES.size()) {
      out.add(
          fail(
              who + ": attestation",
              "policy requires a hardware-rooted attestation for every key; have it for "
                  + new TreeSet<>(hardwareAttested)));
    }
  }

  private void checkWitnesses(Map<String, byte[]> files, Transcript transcript, List<Check> out) {
    List<WitnessSignature> sigs;
    try {
      sigs = WitnessSignature.parseAll(require(files, WITNESSES));
    } catch (FormatException e) {
      out.add(fail("witnesses", e.getMessage()));
      return;
    }
    byte[] msg = transcript.witnessInput();
    Set<String> countedKeys = new HashSet<>();
    Set<String> signedNames = new TreeSet<>();
    Map<String, String> nameOfKey = new TreeMap<>();
    witnesses.witnesses().forEach((name, key) -> nameOfKey.putIfAbsent(Codec.hex(key), name));
    for (WitnessSignature w : sigs) {
      String who = "witness " + w.name();
      byte[] trusted = witnesses.witnesses().get(w.name());
      if (trusted == null) {
        out.add(
            fail(
                who,
                "unknown witness: not in the witness policy " + witnesses.witnesses().keySet()));
        continue;
      }
      if (!Arrays.equals(trusted, w.publicKey())) {
        out.add(fail(who, "signed with a key that is not the policy's key for " + w.name()));
        continue;
      }
      if (!Crypto.ed25519Verify(trusted, msg, w.signature())) {
        out.add(fail(who, "signature over the transcript does not verify"));
        continue;
      }
      String keyHex = Codec.hex(trusted);
      if (!countedKeys.add(keyHex)) {
        out.add(
            new Check(
                Status.WARN,
                who,
                "duplicate: key of witness "
                    + nameOfKey.get(keyHex)
                    + " already counted (distinct keys count once)"));
        continue;
      }
      signedNames.add(w.name());
      out.add(pass(who, "signed the transcript"));
    }
    Set<String> missing = new TreeSet<>(witnesses.witnesses().keySet());
    missing.removeAll(signedNames);
    if (countedKeys.size() >= witnesses.required()) {
      out.add(
          pass(
              "witness quorum",
              countedKeys.size()
                  + " distinct trusted witnesses signed, "
                  + witnesses.required()
                  + " required"
                  + (missing.isEmpty() ? "" : "; did not sign: " + missing)));
    } else {
      out.add(
          fail(
              "witness quorum",
              "only "
                  + countedKeys.size()
                  + " distinct trusted witnesses signed, "
                  + witnesses.required()
                  + " required; missing: "
                  + missing));
    }
  }

  private static byte[] require(Map<String, byte[]> files, String path) {
    byte[] b = files.get(path);
    if (b == null) {
      throw new FormatException(path + " is missing");
    }
    return b;
  }

  private static String fingerprint(byte[] b) {
    return "sha256:" + Codec.hex(Crypto.sha256(b)).substring(0, 16);
  }

  private static Check pass(String what, String detail) {
    return new Check(Status.PASS, what, detail);
  }

  private static Check fail(String what, String detail) {
    return new Check(Status.FAIL, what, detail);
  }
}
