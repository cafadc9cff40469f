package dev.fleetvault.cli;

import dev.fleetvault.cli.impl.ClientFactory;
import dev.fleetvault.client.FleetStatus;
import dev.fleetvault.client.FleetvaultClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code fleetvault status}: members, leader, majority. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    header = "Show members, leader and majority.",
    description =
        "Prints the fleet's members, the Raft leader and whether a majority is reachable, as the first reachable edge sees them. Exits 5 when no majority is reachable.")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand FleetvaultCommand parent;

  @Mixin ConnectOptions connect;

  @Override
  public Integer call() {
    Io io = parent.io();
    try (FleetvaultClient client = ClientFactory.open(connect)) {
      FleetStatus s = client.blocking().status();
      io.out().println("edge:      " + s.edge());
      io.out()
          .println(
              "fleet:     "
                  + s.fleetId()
                  + " ("
                  + s.members()
                  + " members, threshold "
                  + s.threshold()
                  + ")");
      for (int i = 1; i <= s.members(); i++) {
        io.out()
            .println(
                "member " + i + ":  " + (s.reachable().contains(i) ? "reachable" : "UNREACHABLE"));
      }
      io.out().println("leader:    " + s.leader().orElse("(not reported)"));
      io.out().println("majority:  " + (s.majorityReachable() ? "reachable" : "NOT reachable"));
      return s.majorityReachable() ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }
  }
}
