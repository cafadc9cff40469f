package dev.fleetvault.gateway.fleet;

import dev.fleetvault.gateway.FleetDirectory;
import dev.fleetvault.gateway.config.MemberSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DEVELOPMENT: peers from the development fleet directory ({@code data_root/fleet/members}),
 * waiting for each member's node to publish. Whoever can write that directory can swap a member's
 * keys: only for {@code development: true} fleets on one machine.
 */
public final class DirectoryPeerKeys implements PeerKeys {
  private final FleetDirectory dir;

  /**
   * @param dir the development fleet directory
   */
  public DirectoryPeerKeys(FleetDirectory dir) {
    this.dir = dir;
  }

  @Override
  public List<Peer> peers(List<MemberSpec> members, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Peer> out = new ArrayList<>();
    for (MemberSpec m : members) {
      Optional<FleetDirectory.Entry> e = dir.read(m.id());
      while (e.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "member "
                  + m.id()
                  + " never published its keys to "
                  + "the development fleet directory (is its node running?)");
        }
        Thread.sleep(100);
        e = dir.read(m.id());
      }
      out.add(new Peer(m.id(), e.get().signingPublic(), e.get().hpkePublic(), Optional.empty()));
    }
    return out;
  }
}
