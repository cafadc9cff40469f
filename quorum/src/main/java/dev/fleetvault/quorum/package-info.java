/**
 * Majority agreement across data centers: an embedded Infinispan cluster for sealed records and a jgroups-raft ledger of member-signed commands.
 */
package dev.fleetvault.quorum;
