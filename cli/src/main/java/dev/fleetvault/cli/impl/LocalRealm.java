package dev.fleetvault.cli.impl;

import dev.fleetvault.gateway.FleetDirectory;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.protocol.flow.MemberKey;
import dev.fleetvault.protocol.flow.RealmConfig;
import dev.fleetvault.protocol.pin.Argon2idParameters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The realm of a development fleet, read from the fleet directory the nodes publish their public
 * keys to ({@code <data_root>/fleet/members/<id>.json}). Production clients take the keys from a
 * verified validation bundle instead.
 */
public final class LocalRealm {
  /** The Argon2id parameter set the CLI registers with. */
  public static final String PIN_PARAMS = Argon2idParameters.ARGON2ID_V1_DEFAULT.id();

  private LocalRealm() {}

  /**
   * The realm of {@code config}'s fleet with the given PIN parameter set.
   *
   * @throws IOException when a member has not published its keys (the fleet never started)
   */
  public static RealmConfig read(NodeConfig config, String pinParams) throws IOException {
    FleetDirectory dir = new FleetDirectory(config.fleetDir());
    List<MemberKey> keys = new ArrayList<>();
    List<MemberSpec> members = config.members();
    for (int i = 0; i < members.size(); i++) {
      String id = members.get(i).id();
      FleetDirectory.Entry e =
          dir.read(id)
              .orElseThrow(
                  () ->
                      new IOException(
                          "no public keys for member "
                              + id
                              + " under "
                              + config.fleetDir()
                              + "; start the fleet first (./fleetvault up)"));
      if (e.index() != i + 1) {
        throw new IOException(
            "member "
                + id
                + " published index "
                + e.index()
                + " but is number "
                + (i + 1)
                + " in "
                + config.source());
      }
      keys.add(MemberKey.of(e.index(), e.hpkePublic()));
    }
    return RealmConfig.of(config.fleetId(), config.threshold(), keys, pinParams);
  }
}
