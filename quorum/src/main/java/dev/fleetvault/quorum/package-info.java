/**
 * Majority agreement across data centers: an embedded Infinispan cluster for sealed records and a
 * jgroups-raft ledger of member-signed commands.
 *
 * <p>Both JGroups channels (ledger and record store) run TLS 1.3 with client certificates required;
 * the trust set comes from {@link dev.fleetvault.quorum.ChannelSecurity} in {@link
 * dev.fleetvault.quorum.QuorumConfig} (a node without it does not start). Each node listens only on
 * its configured address, on its {@code raftPort} and {@code clusterPort}.
 */
package dev.fleetvault.quorum;
