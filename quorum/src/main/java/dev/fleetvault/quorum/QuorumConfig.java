package dev.fleetvault.quorum;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one node needs to join the quorum. The gateway maps its YAML into this record; there
 * is no file format here.
 *
 * <p>Guarantees: immutable and validated on construction (odd member count {@code >= 3} unless
 * {@code n == 1} is used for a single-node development fleet, unique ids and ports, this member in
 * the list). Every node of a fleet must be given the same {@code members} list (same keys) and the
 * same {@code fleetEpoch}: the ledger's replicas verify command signatures against exactly these
 * keys, so a difference would make replicas diverge.
 *
 * @param memberId this node's member id (must appear in {@code members})
 * @param fleetEpoch epoch of the fleet configuration the member keys come from; commands carry it.
 *     Key rotation (several epochs known at once) is a later change; today exactly this epoch is
 *     accepted.
 * @param members all members of the fleet, each with its node's address, ports and command key
 * @param bindAddress local address both JGroups channels bind to (e.g. {@code 127.0.0.1}); they
 *     listen on exactly {@code self().raftPort()} and {@code self().clusterPort()} there, nothing
 *     else
 * @param dataDir this node's data directory (Raft log under {@code raft/}, records under {@code
 *     records/})
 * @param requestTimeout default deadline of one ledger request (submit or read)
 * @param maxInFlight bound on this node's ledger requests waiting for an answer
 * @param snapshotLogBytes log size in bytes after which the ledger snapshots and truncates its log
 * @param startTimeout how long {@link QuorumNode#start} keeps retrying to join (e.g. while the
 *     cluster still remembers this node's previous incarnation)
 * @param channelSecurity this member's TLS identity and the fleet's trust set for both channels;
 *     may be {@code null} here, but {@link QuorumNode#start} refuses a config without it
 */
public record QuorumConfig(
    int memberId,
    long fleetEpoch,
    List<QuorumMember> members,
    String bindAddress,
    Path dataDir,
    Duration requestTimeout,
    int maxInFlight,
    long snapshotLogBytes,
    Duration startTimeout,
    ChannelSecurity channelSecurity) {

  /** Default request deadline: 5 s. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

  /** Default bound on in-flight requests per node. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 1024;

  /** Default log size before a snapshot: 16 MiB. */
  public static final long DEFAULT_SNAPSHOT_LOG_BYTES = 16L << 20;

  /** Default start-up deadline: 60 s. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  public QuorumConfig {
    Objects.requireNonNull(members, "members");
    members = List.copyOf(members);
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(startTimeout, "startTimeout");
    if (fleetEpoch < 0) throw new IllegalArgumentException("fleetEpoch must be >= 0");
    if (members.isEmpty()) throw new IllegalArgumentException("members must not be empty");
    if (members.size() != 1 && (members.size() < 3 || members.size() % 2 == 0))
      throw new IllegalArgumentException(
          "a fleet has an odd number of members >= 3 (or 1 for development), got "
              + members.size());
    Set<Integer> ids = new HashSet<>();
    Set<String> endpoints = new HashSet<>();
    for (QuorumMember m : members) {
      if (!ids.add(m.id())) throw new IllegalArgumentException("duplicate member id " + m.id());
      if (!endpoints.add(m.host() + ":" + m.clusterPort())
          || !endpoints.add(m.host() + ":" + m.raftPort()))
        throw new IllegalArgumentException(
            "member " + m.id() + " reuses a host:port of another member");
    }
    if (!ids.contains(memberId))
      throw new IllegalArgumentException("memberId " + memberId + " is not in members " + ids);
    if (requestTimeout.isNegative() || requestTimeout.isZero())
      throw new IllegalArgumentException("requestTimeout must be > 0");
    if (startTimeout.isNegative() || startTimeout.isZero())
      throw new IllegalArgumentException("startTimeout must be > 0");
    if (maxInFlight < 1 || maxInFlight > 8192)
      throw new IllegalArgumentException("maxInFlight must be in 1..8192");
    if (snapshotLogBytes < 64 * 1024)
      throw new IllegalArgumentException("snapshotLogBytes must be >= 64 KiB");
  }

  /** A configuration with default timeouts, bounds and snapshot size. */
  public static QuorumConfig of(
      int memberId, long fleetEpoch, List<QuorumMember> members, String bindAddress, Path dataDir) {
    return new QuorumConfig(
        memberId,
        fleetEpoch,
        members,
        bindAddress,
        dataDir,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_MAX_IN_FLIGHT,
        DEFAULT_SNAPSHOT_LOG_BYTES,
        DEFAULT_START_TIMEOUT,
        null);
  }

  /** A copy with another request timeout. */
  public QuorumConfig withRequestTimeout(Duration t) {
    return new QuorumConfig(
        memberId,
        fleetEpoch,
        members,
        bindAddress,
        dataDir,
        t,
        maxInFlight,
        snapshotLogBytes,
        startTimeout,
        channelSecurity);
  }

  /** A copy with another in-flight bound. */
  public QuorumConfig withMaxInFlight(int n) {
    return new QuorumConfig(
        memberId,
        fleetEpoch,
        members,
        bindAddress,
        dataDir,
        requestTimeout,
        n,
        snapshotLogBytes,
        startTimeout,
        channelSecurity);
  }

  /** A copy with another snapshot threshold. */
  public QuorumConfig withSnapshotLogBytes(long bytes) {
    return new QuorumConfig(
        memberId,
        fleetEpoch,
        members,
        bindAddress,
        dataDir,
        requestTimeout,
        maxInFlight,
        bytes,
        startTimeout,
        channelSecurity);
  }

  /** A copy with another start-up deadline. */
  public QuorumConfig withStartTimeout(Duration t) {
    return new QuorumConfig(
        memberId,
        fleetEpoch,
        members,
        bindAddress,
        dataDir,
        requestTimeout,
        maxInFlight,
        snapshotLogBytes,
        t,
        channelSecurity);
  }

  /**
   * A copy with this member's channel security (TLS identity and trust set of both quorum
   * channels).
   */
  public QuorumConfig withChannelSecurity(ChannelSecurity s) {
    return new QuorumConfig(
        memberId,
        fleetEpoch,
        members,
        bindAddress,
        dataDir,
        requestTimeout,
        maxInFlight,
        snapshotLogBytes,
        startTimeout,
        Objects.requireNonNull(s, "channelSecurity"));
  }

  /** This node's own member entry. */
  public QuorumMember self() {
    return member(memberId);
  }

  /** The member with {@code id}; throws if unknown. */
  public QuorumMember member(int id) {
    for (QuorumMember m : members) if (m.id() == id) return m;
    throw new IllegalArgumentException("unknown member " + id);
  }

  /** Number of members that form a majority. */
  public int majority() {
    return members.size() / 2 + 1;
  }
}
