package dev.fleetvault.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fleetvault up}: the local fleet in this JVM. */
@Command(name = "up", mixinStandardHelpOptions = true,
    header = "Start the local fleet (every member in this JVM).",
    description = "Starts every member of a multi-member configuration in this JVM (the local fleet), prints the edges and runs until interrupted. A second 'up' on the same data keeps the users.")
final class UpCommand implements Callable<Integer> {
    @ParentCommand
    FleetvaultCommand parent;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/local.yaml",
        description = "Fleet configuration. Default: ${DEFAULT-VALUE}.")
    Path config;

    @Override
    public Integer call() {
        throw new CliException(ExitCodes.FAILURE, "the local fleet is not wired yet (waiting for the gateway API)");
    }
}
