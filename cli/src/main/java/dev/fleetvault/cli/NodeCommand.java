package dev.fleetvault.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fleetvault node}: one node. */
@Command(name = "node", mixinStandardHelpOptions = true,
    header = "Start one node.",
    description = "Starts one node from its configuration and runs until interrupted.")
final class NodeCommand implements Callable<Integer> {
    @ParentCommand
    FleetvaultCommand parent;

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "Node configuration.")
    Path config;

    @Override
    public Integer call() {
        throw new CliException(ExitCodes.FAILURE, "the node is not wired yet (waiting for the gateway API)");
    }
}
