package dev.fleetvault.cli.transparency;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.evidence.EvidenceManifest;
import dev.fleetvault.bundles.evidence.EvidenceVerifier;
import dev.fleetvault.bundles.evidence.KeyFacts;
import dev.fleetvault.bundles.evidence.KeyStatement;
import dev.fleetvault.bundles.evidence.Transcript;
import dev.fleetvault.bundles.evidence.WitnessSignature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes the static transparency site: {@code index.html} (every epoch), {@code
 * epochs/<n>/index.html} (members, keys, HSM facts, evidence files, log index, checkpoint, changes
 * since the previous epoch, the verify command), {@code epochs/<n>/bundle.json}, {@code
 * epochs/<n>/artifact.json}, {@code epochs/<n>/evidence/…} (the package, byte for byte), {@code
 * trust.json}, {@code checkpoint.txt}, {@code witnesses/<name>.pub.pem} and {@code style.css}.
 *
 * <p>The site is built in a new sibling directory and then swapped in, so a server never shows half
 * a site; an existing output directory is replaced only if an earlier build made it (it carries
 * {@value #MARKER}).
 */
public final class SiteBuilder {
  /** Marker file of a built site (hidden: not served). */
  static final String MARKER = ".fleetvault-transparency-site";

  private SiteBuilder() {}

  /**
   * Builds the site of every epoch {@code signer} logged into {@code out}.
   *
   * @param signer the signer's base URL
   * @param trust the pinned keys the site names
   * @param witnesses ceremony witnesses' public keys (PEM bytes) by name
   * @param evidence evidence packages by digest (hex)
   * @param baseUrl where the site is served (ending in /), or null
   * @return the number of epochs written
   */
  public static int buildFromSigner(
      java.net.URI signer,
      dev.fleetvault.bundles.TrustAnchors trust,
      Map<String, byte[]> witnesses,
      Map<String, Map<String, byte[]>> evidence,
      String baseUrl,
      Path out)
      throws IOException {
    SiteInput in =
        TransparencyCommand.SignerEpochs.fetch(
            new dev.fleetvault.signer.SignerClient(signer), trust, witnesses, evidence, baseUrl);
    build(in, out);
    return in.epochs().size();
  }

  /** Builds the site into {@code out} (replacing an earlier build there). */
  static void build(SiteInput in, Path out) throws IOException {
    Path target = out.toAbsolutePath().normalize();
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(target.resolve(MARKER))) {
      try (Stream<Path> s = Files.list(target)) {
        if (s.findAny().isPresent()) {
          throw new IOException(
              target + " exists and is not a transparency site built earlier; not replaced");
        }
      }
    }
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempDirectory(target.getParent(), target.getFileName() + ".building-");
    try {
      write(in, tmp);
      Files.writeString(tmp.resolve(MARKER), "built " + Instant.now() + "\n");
      Path old = null;
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        old = target.resolveSibling(target.getFileName() + ".old-" + System.nanoTime());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
      if (old != null) {
        deleteTree(old);
      }
    } finally {
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
  }

  private static void write(SiteInput in, Path dir) throws IOException {
    try (InputStream css = SiteBuilder.class.getResourceAsStream("style.css")) {
      if (css == null) {
        throw new IOException("style.css is missing from the class path");
      }
      Files.write(dir.resolve("style.css"), css.readAllBytes());
    }
    Files.write(dir.resolve("trust.json"), in.trust().toJson());
    Files.writeString(dir.resolve("checkpoint.txt"), in.checkpoint(), StandardCharsets.UTF_8);
    if (!in.witnesses().isEmpty()) {
      Files.createDirectories(dir.resolve("witnesses"));
      for (Map.Entry<String, byte[]> w : in.witnesses().entrySet()) {
        Files.write(dir.resolve("witnesses").resolve(w.getKey() + ".pub.pem"), w.getValue());
      }
    }
    List<EpochView> views = new ArrayList<>();
    EpochView prev = null;
    List<SiteInput.Epoch> sorted = new ArrayList<>(in.epochs());
    sorted.sort(Comparator.comparingLong(e -> e.bundle().message().epoch()));
    for (SiteInput.Epoch e : sorted) {
      EpochView v = EpochView.of(e, prev);
      views.add(v);
      Path ed = dir.resolve("epochs").resolve(Long.toString(v.epoch));
      Files.createDirectories(ed);
      Files.write(ed.resolve("bundle.json"), e.bundle().toJson());
      Files.write(ed.resolve("artifact.json"), e.bundle().artifact());
      for (Map.Entry<String, byte[]> f : v.evidence.entrySet()) {
        EvidenceManifest.checkPath(f.getKey());
        Path p = ed.resolve("evidence").resolve(f.getKey()).normalize();
        if (!p.startsWith(ed.resolve("evidence"))) {
          throw new IOException("evidence path escapes the site: " + f.getKey());
        }
        Files.createDirectories(p.getParent());
        Files.write(p, f.getValue());
      }
      Files.writeString(ed.resolve("index.html"), epochPage(in, v), StandardCharsets.UTF_8);
      prev = v;
    }
    Files.writeString(dir.resolve("index.html"), indexPage(in, views), StandardCharsets.UTF_8);
  }

  /** What an epoch page shows, derived from its bundle and evidence. */
  static final class EpochView {
    long epoch;
    Bundle bundle;
    FleetArtifact artifact;
    String artifactSha256;
    Map<String, byte[]> evidence = Map.of();
    String evidenceProblem = "";
    Map<String, KeyStatement> statements = new TreeMap<>();
    List<String> witnessNames = new ArrayList<>();
    boolean soft;
    List<String[]> changes = new ArrayList<>();
    Long previousEpoch;

    static EpochView of(SiteInput.Epoch e, EpochView prev) {
      EpochView v = new EpochView();
      v.bundle = e.bundle();
      v.epoch = e.bundle().message().epoch();
      v.artifact = FleetArtifact.parse(e.bundle().artifact());
      v.artifactSha256 = hex(sha256(e.bundle().artifact()));
      if (!e.evidence().isEmpty()) {
        v.readEvidence(e.evidence());
      }
      if (prev != null) {
        v.previousEpoch = prev.epoch;
        v.diff(prev.artifact);
      }
      return v;
    }

    private void readEvidence(Map<String, byte[]> files) {
      byte[] m = files.get(EvidenceManifest.PATH);
      try {
        EvidenceManifest manifest = EvidenceManifest.parse(m);
        if (!MessageDigest.isEqual(manifest.digest(), artifact.evidenceDigest())) {
          evidenceProblem = "the package found for this epoch has another digest; not published";
          return;
        }
        Transcript t = Transcript.parse(files.get(EvidenceVerifier.TRANSCRIPT));
        for (Transcript.Entry en : t.members()) {
          byte[] b = files.get(en.statementPath());
          if (b != null) {
            KeyStatement s = KeyStatement.parseSigned(b).statement();
            statements.put(s.memberId(), s);
            soft |= "soft".equals(s.hsm().get("driver"));
          }
        }
        byte[] w = files.get(EvidenceVerifier.WITNESSES);
        if (w != null) {
          for (WitnessSignature ws : WitnessSignature.parseAll(w)) {
            witnessNames.add(ws.name());
          }
        }
        evidence = new TreeMap<>(files);
      } catch (FormatException | NullPointerException ex) {
        evidenceProblem =
            "the package found for this epoch is malformed ("
                + ex.getMessage()
                + "); not published";
        evidence = Map.of();
        statements.clear();
      }
    }

    private void diff(FleetArtifact before) {
      Map<String, FleetMember> old = new LinkedHashMap<>();
      before.members().forEach(m -> old.put(m.id(), m));
      for (FleetMember m : artifact.members()) {
        FleetMember o = old.remove(m.id());
        if (o == null) {
          changes.add(
              new String[] {"added", "member " + m.id() + " (" + m.dataCenter() + ") added"});
        } else if (!o.sameKeys(m)) {
          List<String> what = new ArrayList<>();
          if (!MessageDigest.isEqual(o.signingPublicKey(), m.signingPublicKey())) {
            what.add("signing key " + fp(o.signingPublicKey()) + " → " + fp(m.signingPublicKey()));
          }
          if (!MessageDigest.isEqual(o.hpkePublicKey(), m.hpkePublicKey())) {
            what.add("HPKE key " + fp(o.hpkePublicKey()) + " → " + fp(m.hpkePublicKey()));
          }
          if (!o.dataCenter().equals(m.dataCenter())) {
            what.add("data center " + o.dataCenter() + " → " + m.dataCenter());
          }
          changes.add(
              new String[] {"changed", "member " + m.id() + ": " + String.join("; ", what)});
        }
      }
      for (FleetMember m : old.values()) {
        changes.add(
            new String[] {"removed", "member " + m.id() + " (" + m.dataCenter() + ") removed"});
      }
      if (before.threshold() != artifact.threshold()) {
        changes.add(
            new String[] {
              "changed", "threshold " + before.threshold() + " → " + artifact.threshold()
            });
      }
    }

    boolean hasEvidence() {
      return !evidence.isEmpty();
    }

    String statusClass() {
      return !hasEvidence() ? "bad" : soft ? "warn" : "ok";
    }

    String status() {
      if (!hasEvidence()) {
        return artifact.evidenceDigest().length == 0
            ? "No deployment evidence (development fleet)"
            : "Evidence not available here";
      }
      return soft ? "Evidence published · software driver (development)" : "Evidence published";
    }
  }

  /** The command that verifies an epoch, exactly as the page prints it. */
  static String verifyCommand(SiteInput in, EpochView v) {
    String base = in.baseUrl() == null ? "" : in.baseUrl();
    String ep = base + "epochs/" + v.epoch + "/";
    if (!v.hasEvidence()) {
      return "fleetvault bundle verify --file bundle.json --trust trust.json --no-state";
    }
    StringBuilder c =
        new StringBuilder("fleetvault evidence verify ")
            .append(ep)
            .append("evidence/")
            .append(" --bundle ")
            .append(ep)
            .append("bundle.json --trust ")
            .append(base)
            .append("trust.json");
    for (String w : new java.util.TreeSet<>(in.witnesses().keySet())) {
      c.append(" --witness ")
          .append(w)
          .append('=')
          .append(base)
          .append("witnesses/")
          .append(w)
          .append(".pub.pem");
    }
    if (v.soft) {
      c.append(" --allow-soft-driver");
    }
    return c.toString();
  }

  private static String indexPage(SiteInput in, List<EpochView> views) {
    Html h = new Html();
    String fleet = views.isEmpty() ? "" : views.get(views.size() - 1).artifact.fleetId();
    h.raw("<h1>").text(fleet.isEmpty() ? "Fleet epochs" : "Fleet " + fleet).raw("</h1>\n");
    h.raw(
        "<p class=\"lead\">Every epoch of this fleet that the independent signer logged, newest first. Each page lists the"
            + " members, their keys and HSMs, the deployment evidence and how to verify all of it yourself.</p>\n");
    h.raw("<h2>Epochs</h2>\n");
    if (views.isEmpty()) {
      h.raw("<p>No epoch has been published yet.</p>\n");
    } else {
      h.raw(
          "<table class=\"epochs\"><thead><tr><th>Epoch</th><th>Members</th><th>Threshold</th><th>Evidence</th>"
              + "<th>Log index</th><th>Valid</th></tr></thead><tbody>\n");
      for (int i = views.size() - 1; i >= 0; i--) {
        EpochView v = views.get(i);
        h.raw("<tr><td data-label=\"Epoch\">")
            .a("epochs/" + v.epoch + "/index.html", "Epoch " + v.epoch)
            .raw("</td><td data-label=\"Members\">")
            .text(
                v.artifact.members().size()
                    + " ("
                    + String.join(", ", v.artifact.members().stream().map(FleetMember::id).toList())
                    + ")")
            .raw("</td><td data-label=\"Threshold\">")
            .text(v.artifact.threshold() + " of " + v.artifact.members().size())
            .raw("</td><td data-label=\"Evidence\">")
            .el("span", "badge " + v.statusClass(), v.status())
            .raw("</td><td data-label=\"Log index\">")
            .text(v.bundle.logIndex())
            .raw("</td><td data-label=\"Valid\">")
            .text(day(v.artifact.notBefore()) + " – " + day(v.artifact.notAfter()))
            .raw("</td></tr>\n");
      }
      h.raw("</tbody></table>\n");
    }
    h.raw("<h2>The keys this site is about</h2>\n<div class=\"card\"><dl class=\"facts\">\n");
    h.dt("Log (signer)", in.trust().logOrigin(), false);
    h.dt("Signer key", in.trust().signerKey().vkey(), true);
    h.dt(
        "Operator key",
        "SHA-256 of SPKI " + hex(sha256(in.trust().operatorKey().getEncoded())),
        true);
    h.raw("<dt>Trust file</dt><dd>")
        .a("trust.json", "trust.json")
        .raw(
            " — compare these keys with the ones your app pins"
                + (in.trust().development()
                    ? " (this is a DEVELOPMENT trust file: a local signer)"
                    : "")
                + "</dd>\n");
    if (!in.witnesses().isEmpty()) {
      h.raw("<dt>Ceremony witnesses</dt><dd>");
      boolean first = true;
      for (String w : in.witnesses().keySet()) {
        h.raw(first ? "" : ", ").a("witnesses/" + w + ".pub.pem", w);
        first = false;
      }
      h.raw(" — get their keys from the witnesses themselves too</dd>\n");
    }
    h.raw(
            "</dl></div>\n<h2>Latest checkpoint</h2>\n<p>The signer's signed view of its whole log when this site was built (")
        .a("checkpoint.txt", "checkpoint.txt")
        .raw("):</p>\n<pre class=\"note\">")
        .text(in.checkpoint())
        .raw("</pre>\n");
    return Html.page(
        "Fleetvault transparency" + (fleet.isEmpty() ? "" : " — " + fleet),
        "style.css",
        "index.html",
        h.toString());
  }

  private static String epochPage(SiteInput in, EpochView v) {
    Html h = new Html();
    FleetArtifact a = v.artifact;
    h.raw("<p>").a("../../index.html", "← all epochs").raw("</p>\n");
    h.raw("<h1>")
        .text("Fleet " + a.fleetId() + " · epoch " + v.epoch)
        .raw("</h1>\n<p>")
        .el("span", "badge " + v.statusClass(), v.status())
        .raw("</p>\n");
    h.raw("<div class=\"card\"><dl class=\"facts\">\n");
    h.dt("Threshold", a.threshold() + " of " + a.members().size() + " members", false);
    h.dt("Valid", a.notBefore() + " to " + a.notAfter(), false);
    h.dt("Artifact SHA-256", v.artifactSha256, true);
    h.dt(
        "Evidence digest",
        a.evidenceDigest().length == 0 ? "(empty)" : hex(a.evidenceDigest()),
        true);
    h.dt("Log index", v.bundle.logIndex() + " in " + in.trust().logOrigin(), false);
    h.raw("<dt>Files</dt><dd>")
        .a("bundle.json", "bundle.json")
        .raw(" (signed, counter-signed, with its inclusion proof) · ")
        .a("artifact.json", "artifact.json")
        .raw("</dd>\n</dl></div>\n");
    if (!v.evidenceProblem.isEmpty()) {
      h.raw("<p>").el("span", "badge bad", v.evidenceProblem).raw("</p>\n");
    }

    h.raw("<h2>What changed since ")
        .text(v.previousEpoch == null ? "the start" : "epoch " + v.previousEpoch)
        .raw("</h2>\n");
    if (v.previousEpoch == null) {
      h.raw("<p>This is the first published epoch.</p>\n");
    } else if (v.changes.isEmpty()) {
      h.raw("<p>No member, key or threshold changed (a new validity window only).</p>\n");
    } else {
      h.raw("<ul class=\"changes\">\n");
      for (String[] c : v.changes) {
        h.raw("<li class=\"").text(c[0]).raw("\">").text(c[1]).raw("</li>\n");
      }
      h.raw("</ul>\n");
      if (v.previousEpoch != null) {
        h.raw("<p>")
            .a("../" + v.previousEpoch + "/index.html", "Epoch " + v.previousEpoch)
            .raw("</p>\n");
      }
    }

    h.raw("<h2>Members and keys</h2>\n<div class=\"grid\">\n");
    for (FleetMember m : a.members()) {
      KeyStatement s = v.statements.get(m.id());
      h.raw("<section class=\"card\"><h3>").text(m.id()).raw("</h3><dl class=\"facts\">\n");
      h.dt("Data center", m.dataCenter(), false);
      h.dt("Signing key", fp(m.signingPublicKey()), true);
      h.dt("HPKE key", fp(m.hpkePublicKey()), true);
      if (s != null) {
        Map<String, String> hsm = s.hsm();
        h.dt(
            "HSM",
            hsm.get("vendor") + " " + hsm.get("model") + " (driver " + hsm.get("driver") + ")",
            false);
        h.dt("Serial", hsm.get("serial"), true);
        h.dt("Firmware", hsm.get("firmware"), false);
        for (KeyFacts k : s.keys()) {
          h.dt("Key " + k.role(), keySummary(k), false);
        }
        h.dt("Software", hex(s.softwareSha256()) + " (" + s.softwareSource() + ")", true);
        h.dt("Config", hex(s.configSha256()), true);
      } else {
        h.dt("HSM", "no key statement published", false);
      }
      h.raw("</dl></section>\n");
    }
    h.raw("</div>\n");

    h.raw("<h2>Evidence package</h2>\n");
    if (v.hasEvidence()) {
      h.raw("<p>Witnesses who signed the ceremony transcript: ")
          .text(v.witnessNames.isEmpty() ? "none" : String.join(", ", v.witnessNames))
          .raw(". Download the files (the manifest's SHA-256 is the evidence digest above):</p>\n");
      h.raw("<table><thead><tr><th>File</th><th>Bytes</th><th>SHA-256</th></tr></thead><tbody>\n");
      for (Map.Entry<String, byte[]> f : v.evidence.entrySet()) {
        h.raw("<tr><td>")
            .a("evidence/" + f.getKey(), f.getKey())
            .raw("</td><td>")
            .text(f.getValue().length)
            .raw("</td><td><code>")
            .text(hex(sha256(f.getValue())))
            .raw("</code></td></tr>\n");
      }
      h.raw("</tbody></table>\n");
    } else {
      h.raw(
          "<p>No evidence package is published for this epoch. Apps using the default evidence policy refuse a fleet"
              + " artifact without one.</p>\n");
    }

    h.raw(
            "<h2>Checkpoint</h2>\n<p>The signed checkpoint the bundle's inclusion proof leads to:</p>\n<pre class=\"note\">")
        .text(v.bundle.checkpoint())
        .raw("</pre>\n");

    h.raw(
        "<h2>Verify it yourself</h2>\n<ol class=\"steps\">\n<li>Install the <code>fleetvault</code> command from a"
            + " release you built or checked.</li>\n");
    if (v.hasEvidence()) {
      h.raw(
          "<li>Run this command. It downloads the evidence package, checks every file against the manifest, each"
              + " member's signed key statement, the HSM's proof that every key was generated inside it and can"
              + " never leave it, the witnesses' signatures, that the bundle's artifact carries this package's"
              + " digest, and the bundle's signatures and inclusion in the signer's log:</li>\n</ol>\n");
    } else {
      h.raw("<li>Without evidence there is only the bundle to check. Save ")
          .a("bundle.json", "bundle.json")
          .raw(" and ")
          .a("../../trust.json", "trust.json")
          .raw(" in one directory and run there:</li>\n</ol>\n");
    }
    h.raw("<pre class=\"cmd\" id=\"verify-cmd\"><code>")
        .text(verifyCommand(in, v))
        .raw("</code></pre>\n");
    h.raw(
        "<p>It ends with <code>VERIFIED</code> (exit 0) or <code>REJECTED</code> naming the first check that failed."
            + " The command above uses the trust file and witness keys published on this site; for an independent"
            + " check replace <code>--trust</code> and <code>--witness</code> with the keys your app pins and the"
            + " witnesses gave you. Add <code>--rebuild --source DIR</code> to rebuild the node software from its"
            + " source and compare it with the hash every member reported.</p>\n");
    return Html.page(
        "Fleet " + a.fleetId() + " epoch " + v.epoch,
        "../../style.css",
        "../../index.html",
        h.toString());
  }

  private static String keySummary(KeyFacts k) {
    StringBuilder s = new StringBuilder(k.spec()).append(", ");
    Optional<KeyFacts.Provenance> p = k.provenance();
    if (p.isEmpty()) {
      s.append("no provenance reported");
    } else if (p.get().bornInDeviceAndNonExportable()) {
      s.append("generated in the HSM, never extractable");
    } else {
      s.append(p.get().generatedOnDevice() ? "generated in the HSM" : "IMPORTED")
          .append(", ")
          .append(
              p.get().extractable() || !p.get().neverExtractable()
                  ? "EXTRACTABLE"
                  : "never extractable");
    }
    k.attestation().ifPresent(at -> s.append(", attestation ").append(at.format()));
    return s.toString();
  }

  private static String day(Instant i) {
    return i.toString().substring(0, 10);
  }

  static String fp(byte[] key) {
    return "sha256:" + hex(sha256(key)).substring(0, 32);
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // leftovers of an old build are harmless
    }
  }
}
