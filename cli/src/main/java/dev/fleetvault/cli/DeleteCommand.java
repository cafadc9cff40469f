package dev.fleetvault.cli;

import dev.fleetvault.cli.impl.ClientFactory;
import dev.fleetvault.cli.impl.Outcomes;
import dev.fleetvault.client.DeleteResult;
import dev.fleetvault.client.FleetvaultClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fleetvault delete}: deletes a user's records. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    header = "Delete a user's records.",
    description = "Deletes the user's records on every member (no PIN needed).")
final class DeleteCommand implements Callable<Integer> {
  @ParentCommand FleetvaultCommand parent;

  @Option(names = "--user", required = true, paramLabel = "U", description = "User id.")
  String user;

  @Mixin ConnectOptions connect;

  @Override
  public Integer call() {
    dev.fleetvault.cli.impl.InputFiles.checkUser(user);
    Io io = parent.io();
    try (FleetvaultClient client = ClientFactory.open(connect)) {
      DeleteResult r = client.blocking().delete(user);
      if (r instanceof DeleteResult.Deleted) {
        io.err().println("deleted " + user);
        return ExitCodes.OK;
      }
      return Outcomes.unavailable(io, ((DeleteResult.Unavailable) r).reason());
    }
  }
}
