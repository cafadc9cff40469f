package dev.fleetvault.cli.audit;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.tlog.Checkpoint;
import dev.fleetvault.bundles.tlog.SignedNote;
import java.io.PrintWriter;
import java.time.Instant;

/** Human-readable rendering of bundles and artifacts (public values only). */
final class Show {
  private Show() {}

  static String fp(byte[] key) {
    return Codec.hex(Crypto.sha256(key)).substring(0, 16);
  }

  static void artifact(PrintWriter out, FleetArtifact a) {
    out.println(
        "fleet:       "
            + a.fleetId()
            + "  epoch "
            + a.epoch()
            + "  threshold "
            + a.threshold()
            + " of "
            + a.members().size());
    out.println("namespace:   " + a.namespace());
    out.println("valid:       " + a.notBefore() + " .. " + a.notAfter());
    out.println(
        "evidence:    "
            + (a.evidenceDigest().length == 0 ? "(none yet)" : Codec.hex(a.evidenceDigest())));
    out.println("digest:      " + Codec.hex(a.digest()));
    for (FleetMember m : a.members()) {
      out.println(
          "member "
              + m.id()
              + " ("
              + m.dataCenter()
              + ", "
              + m.role()
              + "): hpke "
              + fp(m.hpkePublicKey())
              + "  signing "
              + fp(m.signingPublicKey()));
    }
  }

  static void bundle(PrintWriter out, Bundle b) {
    try {
      artifact(out, FleetArtifact.parse(b.artifact()));
    } catch (FormatException e) {
      out.println("artifact:    MALFORMED (" + e.getMessage() + ")");
    }
    out.println(
        "signed:      "
            + b.message().namespace()
            + " epoch "
            + b.message().epoch()
            + " at "
            + Instant.ofEpochMilli(b.message().timestampMillis())
            + " digest "
            + Codec.hex(b.message().digest()));
    out.println("signer sig:  " + Codec.b64(b.signerSignature()));
    out.println("operator:    " + Codec.b64(b.operatorSignature()));
    out.println(
        "log index:   "
            + b.logIndex()
            + "  (inclusion proof: "
            + b.inclusionProof().size()
            + " hashes)");
    try {
      SignedNote n = SignedNote.parse(b.checkpoint());
      Checkpoint c = Checkpoint.fromNoteText(n.text());
      out.println(
          "checkpoint:  "
              + c.origin()
              + " size "
              + c.treeSize()
              + " root "
              + Codec.hex(c.rootHash())
              + " ("
              + n.signatures().size()
              + " signature lines)");
    } catch (FormatException e) {
      out.println("checkpoint:  MALFORMED (" + e.getMessage() + ")");
    }
  }
}
