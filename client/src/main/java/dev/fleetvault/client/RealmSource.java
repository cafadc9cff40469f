package dev.fleetvault.client;

import dev.fleetvault.protocol.flow.RealmConfig;
import dev.fleetvault.protocol.wire.StatusResponse;
import java.util.Objects;

/**
 * Where the client learns the fleet's keys (the realm it seals to). In production that is the
 * validation bundle the edge hands out, verified against pinned signer and operator keys before
 * anything is sealed; {@link #pinned(RealmConfig)} is for deployments and tests that configure the
 * member keys directly.
 *
 * <p><b>Guarantees.</b> The client seals nothing before {@link #realm(StatusResponse)} returned; an
 * implementation that cannot vouch for the keys throws {@link FleetvaultException} with {@link
 * FleetvaultException.Code#VERIFICATION_FAILED}.
 */
public interface RealmSource {
  /**
   * True if {@link #realm(StatusResponse)} needs an edge's status answer (which carries the
   * bundle). The client then asks for a fresh status and calls {@link #realm(StatusResponse)} at
   * the start of every session (register, recover, delete), so a rotated fleet is picked up without
   * a client update.
   */
  boolean needsStatus();

  /**
   * The realm to seal to.
   *
   * @param status an edge's status answer with its validation bundle, or null when {@link
   *     #needsStatus()} is false
   */
  RealmConfig realm(StatusResponse status);

  /** The bundle epoch this source already holds, sent as {@code known_bundle_epoch} (0 = none). */
  default long knownEpoch() {
    return 0;
  }

  /**
   * The audit-log tree size of the last checkpoint this source accepted, sent as {@code
   * known_tree_size} (0 = none) so that the edge answers with a consistency proof from it.
   */
  default long knownTreeSize() {
    return 0;
  }

  /** A fixed realm: the member keys come from configuration, not from a bundle. */
  static RealmSource pinned(RealmConfig realm) {
    Objects.requireNonNull(realm, "realm");
    return new RealmSource() {
      @Override
      public boolean needsStatus() {
        return false;
      }

      @Override
      public RealmConfig realm(StatusResponse status) {
        return realm;
      }

      @Override
      public String toString() {
        return "pinned " + realm;
      }
    };
  }
}
