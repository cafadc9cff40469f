package dev.fleetvault.gateway.fleet;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.BundleVerifier;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.VerificationResult;
import dev.fleetvault.bundles.VerifierState;
import dev.fleetvault.bundles.evidence.AttestationVerifiers;
import dev.fleetvault.bundles.evidence.EvidencePolicy;
import dev.fleetvault.bundles.evidence.EvidenceReport;
import dev.fleetvault.bundles.evidence.EvidenceVerifier;
import dev.fleetvault.bundles.evidence.SpkiKeys;
import dev.fleetvault.bundles.evidence.WitnessPolicy;
import dev.fleetvault.driver.spi.P256Points;
import dev.fleetvault.gateway.config.FleetBundleSpec;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.member.MemberKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The production node's first step after opening its HSM: obtain the fleet's signed bundle ({@code
 * fleet_bundle.file} or {@code fleet_bundle.signer}), verify it with {@link BundleVerifier} against
 * the configured trust anchors (artifact digest, signer signature, operator counter-signature,
 * audit-log inclusion, checkpoint, validity), verify the ceremony's evidence package against it
 * when configured, and check that the artifact is this fleet: same fleet id, majority threshold,
 * exactly the configured members, each with a peer TLS certificate, and this member's entry equal
 * to the keys in this node's own HSM.
 *
 * <p>Guarantees: any failure throws {@link FleetBundleException} naming what failed; nothing is
 * learnt from anywhere but the verified artifact.
 */
public final class FleetBundleBoot {
  /** How long the signer may take to answer. */
  public static final Duration SIGNER_TIMEOUT = Duration.ofSeconds(10);

  /**
   * A verified bundle.
   *
   * @param artifact the fleet artifact it carries
   * @param envelopeJson the over-the-air envelope (served to clients)
   */
  public record Verified(FleetArtifact artifact, byte[] envelopeJson) {}

  private FleetBundleBoot() {}

  /**
   * Obtains and verifies the bundle for {@code member} whose HSM holds {@code keys}.
   *
   * @throws FleetBundleException naming what failed
   */
  public static Verified verify(NodeConfig config, MemberSpec member, MemberKeys keys) {
    FleetBundleSpec spec =
        config
            .fleetBundle()
            .orElseThrow(
                () ->
                    new FleetBundleException(
                        config.source() + ": a production node needs fleet_bundle"));
    TrustAnchors trust;
    try {
      trust = TrustAnchors.parse(Files.readAllBytes(spec.trust()));
    } catch (IOException | FormatException e) {
      throw new FleetBundleException(
          "fleet_bundle.trust "
              + spec.trust()
              + ": cannot read the "
              + "trust anchors: "
              + e.getMessage(),
          e);
    }
    String from = spec.file().map(Path::toString).orElseGet(() -> spec.signer().get().toString());
    BundleEnvelope env = parse(obtain(spec), from);
    VerificationResult r =
        new BundleVerifier(trust, Clock.systemUTC()).verify(env, VerifierState.initial());
    if (r instanceof VerificationResult.Rejected rej) {
      throw new FleetBundleException(
          "the fleet bundle from "
              + from
              + " does not verify against "
              + spec.trust().getFileName()
              + ": "
              + rej.reason()
              + ": "
              + rej.detail());
    }
    FleetArtifact a = ((VerificationResult.Accepted) r).artifact();
    if (!a.fleetId().equals(config.fleetId())) {
      throw new FleetBundleException(
          "the fleet bundle from "
              + from
              + " is for fleet '"
              + a.fleetId()
              + "', this node's configuration is fleet '"
              + config.fleetId()
              + "'");
    }
    checkOwnKeys(a, member, keys);
    checkMembers(config, a);
    spec.evidence().ifPresent(dir -> checkEvidence(spec, dir, a));
    return new Verified(a, env.toJson());
  }

  private static byte[] obtain(FleetBundleSpec spec) {
    if (spec.file().isPresent()) {
      try {
        return Files.readAllBytes(spec.file().get());
      } catch (IOException e) {
        throw new FleetBundleException(
            "fleet_bundle.file " + spec.file().get() + ": cannot read the bundle: " + e, e);
      }
    }
    URI base = spec.signer().get();
    String b = base.toString().endsWith("/") ? base.toString() : base + "/";
    URI uri = URI.create(b + "namespaces/" + FleetArtifact.NAMESPACE + "/envelope?from=0");
    try {
      HttpResponse<byte[]> resp =
          HttpClient.newBuilder()
              .connectTimeout(SIGNER_TIMEOUT)
              .build()
              .send(
                  HttpRequest.newBuilder(uri).timeout(SIGNER_TIMEOUT).GET().build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      if (resp.statusCode() != 200) {
        throw new FleetBundleException(
            "fleet_bundle.signer "
                + base
                + " answered HTTP "
                + resp.statusCode()
                + " for the fleet bundle");
      }
      return resp.body();
    } catch (IOException e) {
      throw new FleetBundleException(
          "fleet_bundle.signer " + base + ": cannot fetch the bundle: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FleetBundleException("interrupted while fetching the bundle from " + base, e);
    }
  }

  private static BundleEnvelope parse(byte[] json, String from) {
    try {
      return BundleEnvelope.parse(json);
    } catch (FormatException e) {
      try {
        return new BundleEnvelope(Bundle.parse(json), 0, List.of());
      } catch (FormatException e2) {
        throw new FleetBundleException(
            "the fleet bundle from " + from + " is malformed: " + e2.getMessage(), e2);
      }
    }
  }

  private static void checkMembers(NodeConfig config, FleetArtifact a) {
    Set<String> configured =
        config.members().stream()
            .map(MemberSpec::id)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> listed =
        a.members().stream().map(FleetMember::id).collect(Collectors.toCollection(TreeSet::new));
    if (!configured.equals(listed)) {
      throw new FleetBundleException(
          "the fleet artifact lists members "
              + listed
              + " but the configuration names "
              + configured);
    }
    if (a.threshold() != config.threshold()) {
      throw new FleetBundleException(
          "the fleet artifact's threshold "
              + a.threshold()
              + " is not the fleet's majority "
              + config.threshold());
    }
    for (FleetMember m : a.members()) {
      if (!m.hasPeerTlsCertificate()) {
        throw new FleetBundleException(
            "the fleet artifact has no peer TLS certificate for member "
                + m.id()
                + " (run `fleetvault ceremony member` for it again and combine)");
      }
    }
  }

  private static void checkOwnKeys(FleetArtifact a, MemberSpec member, MemberKeys keys) {
    FleetMember mine =
        a.member(member.id())
            .orElseThrow(
                () ->
                    new FleetBundleException(
                        "the fleet bundle does not list this member (" + member.id() + ")"));
    byte[] sign = P256Points.encodeUncompressed((ECPublicKey) keys.signPublic());
    if (!MessageDigest.isEqual(sign, mine.signingPublicKey())) {
      throw new FleetBundleException(
          "member "
              + member.id()
              + ": the signing key in the fleet "
              + "artifact is not the signing key in this node's HSM");
    }
    if (!MessageDigest.isEqual(keys.hpkePublic(), mine.hpkePublicKey())) {
      throw new FleetBundleException(
          "member "
              + member.id()
              + ": the HPKE key in the fleet "
              + "artifact is not the HPKE key in this node's HSM");
    }
  }

  private static void checkEvidence(FleetBundleSpec spec, Path dir, FleetArtifact a) {
    Map<String, byte[]> witnesses = new TreeMap<>();
    for (Map.Entry<String, Path> w : spec.witnessKeys().entrySet()) {
      String name = w.getKey();
      Path p = w.getValue();
      try {
        String pem = Files.readString(p, StandardCharsets.US_ASCII);
        byte[] spki =
            Base64.getMimeDecoder()
                .decode(
                    pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", ""));
        witnesses.put(name, SpkiKeys.ed25519Raw(spki));
      } catch (IOException | RuntimeException e) {
        throw new FleetBundleException(
            "fleet_bundle.witnesses " + p + ": not an Ed25519 public " + "key: " + e.getMessage(),
            e);
      }
    }
    Map<String, byte[]> files = readTree(dir);
    EvidencePolicy policy =
        spec.allowSoftDriver() ? EvidencePolicy.STRICT.allowingSoftDriver() : EvidencePolicy.STRICT;
    EvidenceReport report =
        new EvidenceVerifier(
                new WitnessPolicy(witnesses, spec.witnessQuorum()),
                policy,
                AttestationVerifiers.load())
            .verify(files, Optional.of(a));
    if (!report.verified()) {
      throw new FleetBundleException(
          "the ceremony evidence in "
              + dir
              + " does not verify against "
              + "the fleet artifact: "
              + report.verdict()
              + ": "
              + report.failures());
    }
  }

  private static Map<String, byte[]> readTree(Path dir) {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        files.put(rel, Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new FleetBundleException("fleet_bundle.evidence " + dir + ": cannot read: " + e, e);
    }
    return files;
  }
}
