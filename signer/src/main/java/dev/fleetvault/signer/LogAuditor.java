package dev.fleetvault.signer;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.BundleVerifier;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.SignatureMessage;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.VerificationResult;
import dev.fleetvault.bundles.VerifierState;
import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.tlog.Checkpoint;
import dev.fleetvault.bundles.tlog.MerkleHash;
import dev.fleetvault.bundles.tlog.MerkleProofs;
import dev.fleetvault.bundles.tlog.MerkleTree;
import dev.fleetvault.bundles.tlog.NoteVerifier;
import dev.fleetvault.bundles.tlog.SignedNote;
import dev.fleetvault.bundles.tlog.TilePath;
import dev.fleetvault.bundles.tlog.Tiles;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays a signer's whole audit log as an outside auditor would, trusting only the pinned keys:
 * verifies the latest checkpoint, downloads every entry through the C2SP tile API and rebuilds the
 * tree (root must equal the checkpoint's), checks the level-0 hash tiles, every entry's signature,
 * every historical checkpoint (signed, and a prefix of the current tree), the served inclusion and
 * consistency proofs, epoch monotonicity and digest uniqueness per namespace, and that every
 * fleet-keys entry has an artifact the operator published (attached to the log or in a given set)
 * with a valid counter-signature; finally it lists every bundle and what changed between epochs.
 */
public final class LogAuditor {
  private final SignerClient client;
  private final TrustAnchors trust;
  private final Map<String, byte[]> extraArtifacts;
  private final VerifierState previous;

  /**
   * @param client signer client
   * @param trust pinned keys
   * @param extraArtifacts artifacts the operator published elsewhere, by lowercase-hex digest
   * @param previous the auditor's last verified state (or {@link VerifierState#initial()})
   */
  public LogAuditor(
      SignerClient client,
      TrustAnchors trust,
      Map<String, byte[]> extraArtifacts,
      VerifierState previous) {
    this.client = client;
    this.trust = trust;
    this.extraArtifacts = Map.copyOf(extraArtifacts);
    this.previous = previous;
  }

  /**
   * One published bundle.
   *
   * @param index log index
   * @param namespace namespace
   * @param epoch epoch
   * @param timestamp signer timestamp
   * @param digest artifact digest (hex)
   * @param artifact the artifact, or null if the operator never published it
   */
  public record Issued(
      long index,
      String namespace,
      long epoch,
      Instant timestamp,
      String digest,
      FleetArtifact artifact) {}

  /**
   * The audit's findings.
   *
   * @param treeSize size of the verified checkpoint
   * @param rootHash its root (hex)
   * @param issued every entry, in log order
   * @param changes human-readable fleet-key changes between consecutive epochs
   * @param problems every inconsistency found (empty = the log is consistent)
   * @param newState the state to keep for the next audit (only meaningful when problems is empty)
   */
  public record Report(
      long treeSize,
      String rootHash,
      List<Issued> issued,
      List<String> changes,
      List<String> problems,
      VerifierState newState) {
    /** Whether the log passed. */
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** Runs the audit. Network failures throw; inconsistencies are reported. */
  public Report audit() throws IOException {
    List<String> problems = new ArrayList<>();
    String cpText = client.checkpoint();
    SignedNote note;
    Checkpoint cp;
    try {
      note = SignedNote.parse(cpText);
      cp = Checkpoint.fromNoteText(note.text());
    } catch (FormatException e) {
      problems.add("latest checkpoint is malformed: " + e.getMessage());
      return new Report(0, "", List.of(), List.of(), problems, previous);
    }
    if (!cp.origin().equals(trust.logOrigin())) {
      problems.add(
          "checkpoint origin " + cp.origin() + " is not the pinned origin " + trust.logOrigin());
    }
    if (NoteVerifier.verify(note, trust.signerKey()) != NoteVerifier.Outcome.VERIFIED) {
      problems.add("latest checkpoint is not signed by the pinned signer key");
    }
    long n = cp.treeSize();

    // entries through the tile API
    List<byte[]> entries = new ArrayList<>();
    for (long t = 0; t * 256 < n; t++) {
      int w = (int) Math.min(256, n - t * 256);
      List<byte[]> got = Tiles.parseEntryBundle(client.tile(new TilePath(TilePath.ENTRIES, t, w)));
      if (got.size() != w) {
        problems.add("entry bundle " + t + " has " + got.size() + " entries, expected " + w);
      }
      entries.addAll(got);
    }
    MerkleTree tree = new MerkleTree();
    for (byte[] e : entries) {
      tree.append(e);
    }
    if (tree.size() != n || !Arrays.equals(tree.root(), cp.rootHash())) {
      problems.add(
          "the entries served as tiles do not hash to the checkpoint root ("
              + tree.size()
              + " entries)");
      return new Report(n, Codec.hex(cp.rootHash()), List.of(), List.of(), problems, previous);
    }
    for (long t = 0; t * 256 < n; t++) {
      int w = (int) Math.min(256, n - t * 256);
      TilePath p = new TilePath(0, t, w);
      if (!Arrays.equals(client.tile(p), Tiles.hashTile(tree, p))) {
        problems.add("hash tile " + p.format() + " does not match the entries");
      }
    }

    // consistency with what this auditor saw before
    if (previous.treeSize() > n) {
      problems.add(
          "the log shrank: previously verified size " + previous.treeSize() + ", now " + n);
    } else if (!Arrays.equals(tree.root(previous.treeSize()), previous.rootHash())) {
      problems.add(
          "split view: the log's tree of size "
              + previous.treeSize()
              + " differs from the one verified before");
    } else if (!MerkleProofs.verifyConsistency(
        previous.treeSize(),
        n,
        previous.rootHash(),
        cp.rootHash(),
        client.consistencyProof(previous.treeSize(), n))) {
      problems.add(
          "the signer's consistency proof from "
              + previous.treeSize()
              + " to "
              + n
              + " does not verify");
    }

    // every entry
    List<Issued> issued = new ArrayList<>();
    List<String> changes = new ArrayList<>();
    Map<String, Long> lastEpoch = new HashMap<>();
    Map<String, FleetArtifact> lastArtifact = new HashMap<>();
    Set<String> seenDigests = new HashSet<>();
    BundleVerifier verifier =
        new BundleVerifier(trust, Clock.fixed(Instant.EPOCH, java.time.ZoneOffset.UTC));
    for (int i = 0; i < n; i++) {
      SignatureMessage msg;
      try {
        msg = SignatureMessage.decode(entries.get(i));
      } catch (FormatException e) {
        problems.add("entry " + i + " is not a signature message: " + e.getMessage());
        continue;
      }
      SignerService.Logged served = client.entry(i);
      SignerService.Entry e = served.entry();
      SignerService.Attachment att = served.attachment();
      if (!Arrays.equals(e.message().encode(), entries.get(i)) || e.index() != i) {
        problems.add("entry " + i + " served by /entries differs from the tile");
      }
      if (!Crypto.ed25519Verify(trust.signerKey().publicKey(), entries.get(i), e.signature())) {
        problems.add("entry " + i + ": signer signature does not verify");
      }
      checkHistoricalCheckpoint(i + 1L, e.checkpoint(), tree, problems);
      List<byte[]> proof = client.inclusionProof(i, n);
      if (!MerkleProofs.verifyInclusion(
          i, n, MerkleHash.leaf(entries.get(i)), proof, cp.rootHash())) {
        problems.add("entry " + i + ": the signer's inclusion proof does not verify");
      }
      String ns = msg.namespace();
      Long last = lastEpoch.get(ns);
      if (last != null && msg.epoch() <= last) {
        problems.add(
            "entry "
                + i
                + ": epoch "
                + msg.epoch()
                + " in "
                + ns
                + " does not increase (last "
                + last
                + ")");
      }
      lastEpoch.put(ns, msg.epoch());
      String dhex = Codec.hex(msg.digest());
      if (!seenDigests.add(dhex)) {
        problems.add("entry " + i + ": digest " + dhex + " was logged before");
      }
      FleetArtifact artifact = null;
      byte[] artBytes = att != null ? att.artifact() : extraArtifacts.get(dhex);
      if (artBytes == null) {
        problems.add(
            "entry "
                + i
                + " ("
                + ns
                + " epoch "
                + msg.epoch()
                + "): digest "
                + dhex
                + " matches no artifact the operator published");
      } else if (!Arrays.equals(Crypto.sha256(artBytes), msg.digest())) {
        problems.add("entry " + i + ": the published artifact does not hash to the logged digest");
      } else if (FleetArtifact.NAMESPACE.equals(ns)) {
        try {
          artifact = FleetArtifact.parse(artBytes);
          if (artifact.epoch() != msg.epoch()) {
            problems.add(
                "entry "
                    + i
                    + ": artifact epoch "
                    + artifact.epoch()
                    + " differs from the logged epoch");
          }
        } catch (FormatException ex) {
          problems.add("entry " + i + ": artifact is malformed: " + ex.getMessage());
        }
      }
      if (att != null) {
        Bundle b =
            new Bundle(
                att.artifact(),
                msg,
                e.signature(),
                att.operatorSignature(),
                i,
                tree.inclusionProof(i, n),
                cpText);
        VerificationResult r =
            verifier.verify(new BundleEnvelope(b, 0, List.of()), VerifierState.initial());
        if (r instanceof VerificationResult.Rejected rej && !isValidityOnly(rej)) {
          problems.add("entry " + i + ": bundle does not verify: " + rej);
        }
      }
      if (artifact != null) {
        FleetArtifact prev = lastArtifact.get(ns);
        if (prev != null) {
          changes.addAll(diff(prev, artifact));
        }
        lastArtifact.put(ns, artifact);
      }
      issued.add(
          new Issued(
              i, ns, msg.epoch(), Instant.ofEpochMilli(msg.timestampMillis()), dhex, artifact));
    }
    VerifierState next = previous;
    if (problems.isEmpty()) {
      Long ep = lastEpoch.get(FleetArtifact.NAMESPACE);
      FleetArtifact la = lastArtifact.get(FleetArtifact.NAMESPACE);
      next =
          new VerifierState(
              n, cp.rootHash(), ep == null ? 0 : ep, la == null ? new byte[0] : la.digest());
    }
    return new Report(n, Codec.hex(cp.rootHash()), issued, changes, problems, next);
  }

  private static boolean isValidityOnly(VerificationResult.Rejected r) {
    // the auditor replays history: old bundles may have expired or not yet been valid at a fixed
    // clock
    return r.reason() == dev.fleetvault.bundles.Rejection.EXPIRED
        || r.reason() == dev.fleetvault.bundles.Rejection.NOT_YET_VALID;
  }

  private void checkHistoricalCheckpoint(
      long size, String text, MerkleTree tree, List<String> problems) {
    try {
      SignedNote hn = SignedNote.parse(text);
      Checkpoint hc = Checkpoint.fromNoteText(hn.text());
      if (NoteVerifier.verify(hn, trust.signerKey()) != NoteVerifier.Outcome.VERIFIED) {
        problems.add("checkpoint of size " + size + " is not signed by the pinned key");
      }
      if (hc.treeSize() != size || !Arrays.equals(hc.rootHash(), tree.root(size))) {
        problems.add(
            "split view: the signed checkpoint of size "
                + size
                + " is not a prefix of the current tree");
      }
    } catch (FormatException e) {
      problems.add("checkpoint of size " + size + " is malformed");
    }
  }

  /** What changed in the fleet keys from one artifact to the next. */
  public static List<String> diff(FleetArtifact a, FleetArtifact b) {
    List<String> out = new ArrayList<>();
    String p = "epoch " + a.epoch() + " -> " + b.epoch() + ": ";
    if (!a.fleetId().equals(b.fleetId())) {
      out.add(p + "fleet id " + a.fleetId() + " -> " + b.fleetId());
    }
    if (a.threshold() != b.threshold()) {
      out.add(p + "threshold " + a.threshold() + " -> " + b.threshold());
    }
    for (FleetMember m : a.members()) {
      FleetMember nm = b.member(m.id()).orElse(null);
      if (nm == null) {
        out.add(p + "member " + m.id() + " removed");
        continue;
      }
      if (!nm.dataCenter().equals(m.dataCenter())) {
        out.add(p + "member " + m.id() + " moved " + m.dataCenter() + " -> " + nm.dataCenter());
      }
      if (!Arrays.equals(nm.hpkePublicKey(), m.hpkePublicKey())) {
        out.add(
            p
                + "member "
                + m.id()
                + " HPKE key "
                + fp(m.hpkePublicKey())
                + " -> "
                + fp(nm.hpkePublicKey()));
      }
      if (!Arrays.equals(nm.signingPublicKey(), m.signingPublicKey())) {
        out.add(
            p
                + "member "
                + m.id()
                + " signing key "
                + fp(m.signingPublicKey())
                + " -> "
                + fp(nm.signingPublicKey()));
      }
    }
    for (FleetMember m : b.members()) {
      if (a.member(m.id()).isEmpty()) {
        out.add(
            p
                + "member "
                + m.id()
                + " added ("
                + m.dataCenter()
                + ", HPKE "
                + fp(m.hpkePublicKey())
                + ")");
      }
    }
    if (!a.notBefore().equals(b.notBefore()) || !a.notAfter().equals(b.notAfter())) {
      out.add(
          p
              + "validity "
              + a.notBefore()
              + ".."
              + a.notAfter()
              + " -> "
              + b.notBefore()
              + ".."
              + b.notAfter());
    }
    if (!Arrays.equals(a.evidenceDigest(), b.evidenceDigest())) {
      out.add(
          p
              + "evidence digest "
              + Codec.hex(a.evidenceDigest())
              + " -> "
              + Codec.hex(b.evidenceDigest()));
    }
    if (out.isEmpty()) {
      out.add(p + "no key changes");
    }
    return out;
  }

  private static String fp(byte[] key) {
    return Codec.hex(Crypto.sha256(key)).substring(0, 16);
  }
}
