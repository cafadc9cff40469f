package dev.fleetvault.quorum;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;

/**
 * One member of the fleet as the quorum sees it: where its node listens and the public key that
 * must have signed every ledger command touching its rows.
 *
 * <p>Guarantees: immutable; {@code id} is the member's Shamir x-coordinate ({@code 1..n}) and its
 * Raft id is {@code "m" + id}; the key is an EC P-256 public key (checked here, used by every
 * replica inside {@code apply}).
 *
 * @param id member id, 1-based
 * @param host host or IP address peers use to reach this member's node
 * @param clusterPort TCP port of the Infinispan (record store) JGroups channel
 * @param raftPort TCP port of the Raft ledger JGroups channel
 * @param commandKey the member's command-signing public key (ECDSA P-256, from the fleet
 *     configuration)
 */
public record QuorumMember(
    int id, String host, int clusterPort, int raftPort, PublicKey commandKey) {
  public QuorumMember {
    if (id < 1 || id > 255)
      throw new IllegalArgumentException("member id must be in 1..255, got " + id);
    Objects.requireNonNull(host, "host");
    checkPort("clusterPort", clusterPort);
    checkPort("raftPort", raftPort);
    if (clusterPort == raftPort)
      throw new IllegalArgumentException("member " + id + ": clusterPort and raftPort must differ");
    Objects.requireNonNull(commandKey, "commandKey");
    if (!(commandKey instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 256)
      throw new IllegalArgumentException(
          "member " + id + ": commandKey must be an EC P-256 public key");
  }

  /** The member's Raft id ({@code "m" + id}). */
  public String raftId() {
    return "m" + id;
  }

  private static void checkPort(String name, int port) {
    if (port < 1 || port > 65535)
      throw new IllegalArgumentException(name + " must be in 1..65535, got " + port);
  }
}
