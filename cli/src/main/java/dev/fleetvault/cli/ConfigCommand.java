package dev.fleetvault.cli;

import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.config.NodeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code fleetvault config}: work with node configuration files. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    header = "Check node configuration files.",
    description = "Subcommands: check FILE.",
    subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {
  @ParentCommand FleetvaultCommand parent;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required (check)");
  }

  /**
   * {@code fleetvault config check FILE}: loads the file exactly as a node does (strict YAML, every
   * key known, every referenced file read) and starts nothing.
   */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      header = "Check a node configuration file without starting anything.",
      description =
          "Loads FILE exactly as 'fleetvault node' does: strict YAML (unknown keys, duplicates, "
              + "bad values and clashing ports refused with file:line), app public keys and TLS files read. "
              + "Exit 0 and a summary when it is valid; exit 2 and the error (file:line: what is wrong) when not.")
  static final class Check implements Callable<Integer> {
    @ParentCommand ConfigCommand config;

    @Parameters(index = "0", paramLabel = "FILE", description = "The node configuration (YAML).")
    Path file;

    @Override
    public Integer call() {
      Io io = config.parent.io();
      if (!Files.isRegularFile(file)) {
        io.err().println("error: no configuration file " + file);
        return ExitCodes.USAGE;
      }
      NodeConfig c;
      try {
        c = NodeConfig.load(file);
      } catch (ConfigException | IllegalArgumentException e) {
        io.err().println(e.getMessage());
        return ExitCodes.USAGE;
      }
      io.out().println(file + ": ok");
      io.out()
          .println(
              "fleet "
                  + c.fleetId()
                  + ": "
                  + c.members().size()
                  + " members, threshold "
                  + c.threshold());
      for (MemberSpec m : c.members()) {
        io.out()
            .println(
                "  "
                    + m.id()
                    + ": client "
                    + m.client()
                    + ", peer "
                    + m.peer()
                    + ", raft "
                    + m.raft()
                    + ", cluster "
                    + m.cluster()
                    + m.adminAddress().map(a -> ", admin " + a).orElse(""));
      }
      for (NodeSpec n : c.nodes()) {
        io.out()
            .println(
                "  node "
                    + n.member()
                    + ": hsm driver "
                    + n.hsm().driver()
                    + ", data "
                    + n.dataDir());
      }
      return ExitCodes.OK;
    }
  }
}
