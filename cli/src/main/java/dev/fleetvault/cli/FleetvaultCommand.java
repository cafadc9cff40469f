package dev.fleetvault.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code fleetvault} command. It only dispatches to its subcommands; without one it
 * prints the usage and exits with {@link ExitCodes#USAGE}.
 */
@Command(
    name = "fleetvault",
    mixinStandardHelpOptions = true,
    version = "fleetvault 0.1.0",
    description =
        "Fleetvault: a backup key vault. Runs the local fleet or a node, and registers, recovers and deletes backup keys against a fleet.",
    subcommands = {
      UpCommand.class,
      NodeCommand.class,
      RegisterCommand.class,
      RecoverCommand.class,
      DeleteCommand.class,
      AppLinkCommand.class,
      PasskeyCommand.class,
      StatusCommand.class,
      DriversCommand.class,
      ConfigCommand.class,
      BenchCommand.class,
      PreloadCommand.class,
      dev.fleetvault.cli.audit.BundleCommand.class,
      dev.fleetvault.cli.audit.AuditCommand.class,
      dev.fleetvault.cli.audit.SignerCommand.class,
      dev.fleetvault.cli.ceremony.CeremonyCommand.class,
      dev.fleetvault.cli.ceremony.EvidenceCommand.class,
      dev.fleetvault.cli.transparency.TransparencyCommand.class,
    })
public final class FleetvaultCommand implements Runnable {
  private final Io io;

  @Spec CommandSpec spec;

  FleetvaultCommand(Io io) {
    this.io = io;
  }

  /** The streams of this invocation. */
  Io io() {
    return io;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required");
  }
}
