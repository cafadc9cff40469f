package dev.fleetvault.cli;

import dev.fleetvault.cli.impl.ClientFactory;
import dev.fleetvault.client.FleetStatus;
import dev.fleetvault.client.FleetvaultClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code fleetvault status}: members, leader, majority. */
@Command(name = "status", mixinStandardHelpOptions = true,
    header = "Show members, leader and majority.",
    description = "Prints the fleet's members, the Raft leader and whether a majority is reachable, as the first reachable edge sees them. Exits 5 when no majority is reachable.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    FleetvaultCommand parent;

    @Mixin
    ConnectOptions connect;

    @Override
    public Integer call() {
        Io io = parent.io();
        try (FleetvaultClient client = ClientFactory.open(connect)) {
            FleetStatus s = client.blocking().status();
            io.out().println("edge:     " + s.edge());
            for (FleetStatus.Member m : s.members()) {
                io.out().println("member:   " + m.id() + (m.reachable() ? "  reachable" : "  unreachable")
                    + (s.leader().filter(m.id()::equals).isPresent() ? "  leader" : ""));
            }
            io.out().println("leader:   " + s.leader().orElse("(none)"));
            io.out().println("majority: " + (s.majorityReachable() ? "reachable" : "NOT reachable"));
            return s.majorityReachable() ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
        }
    }
}
