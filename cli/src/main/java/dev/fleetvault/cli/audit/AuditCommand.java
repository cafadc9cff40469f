package dev.fleetvault.cli.audit;

import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.VerifierState;
import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ExitCodes;
import dev.fleetvault.signer.LogAuditor;
import dev.fleetvault.signer.SignerClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fleetvault audit --signer URL}: replay and check the whole audit log. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    header =
        "Replay the signer's audit log, check every proof and signature, list every bundle and what changed.",
    description =
        "Exits 0 when the log is consistent, 1 on any inconsistency (bad signature or proof, split view, non-increasing epoch, reused digest, or an entry whose digest matches no artifact the operator published).")
public final class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--signer",
      required = true,
      paramLabel = "URL",
      description = "the signer's base URL")
  URI signer;

  @Option(
      names = "--trust",
      paramLabel = "FILE",
      defaultValue = AuditFiles.DEFAULT_TRUST,
      description = "trust file with the pinned keys (default: ${DEFAULT-VALUE})")
  String trust;

  @Option(
      names = "--artifacts",
      paramLabel = "DIR",
      description = "artifacts the operator published outside the log (*.json)")
  Path artifacts;

  @Option(
      names = "--state",
      paramLabel = "FILE",
      description =
          "auditor state: checkpoint verified last time (read, and updated when consistent)")
  Path state;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    VerifierState prev = state == null ? VerifierState.initial() : AuditFiles.state(state);
    LogAuditor.Report r;
    try {
      r =
          new LogAuditor(
                  new SignerClient(signer),
                  AuditFiles.trust(trust),
                  AuditFiles.artifacts(artifacts),
                  prev)
              .audit();
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.UNAVAILABLE, "cannot read the log at " + signer + ": " + e.getMessage());
    }
    out.println("log " + signer + ": " + r.treeSize() + " entries, root " + r.rootHash());
    for (LogAuditor.Issued i : r.issued()) {
      FleetArtifact a = i.artifact();
      out.println(
          String.format(
              "#%d %s epoch %d at %s digest %s%s",
              i.index(),
              i.namespace(),
              i.epoch(),
              i.timestamp(),
              i.digest(),
              a == null
                  ? ""
                  : " fleet "
                      + a.fleetId()
                      + " ("
                      + a.threshold()
                      + " of "
                      + a.members().size()
                      + ")"));
    }
    for (String c : r.changes()) {
      out.println("change: " + c);
    }
    out.flush();
    if (!r.ok()) {
      for (String p : r.problems()) {
        err.println("INCONSISTENT: " + p);
      }
      err.flush();
      return ExitCodes.FAILURE;
    }
    if (state != null) {
      AuditFiles.writeAtomically(state, r.newState().toJson());
    }
    out.println("consistent");
    out.flush();
    return ExitCodes.OK;
  }
}
