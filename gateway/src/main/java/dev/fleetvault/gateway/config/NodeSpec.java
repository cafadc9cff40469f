package dev.fleetvault.gateway.config;

import java.nio.file.Path;

/**
 * A node this configuration file starts: which member it is, where its data lives, its HSM.
 *
 * @param member the member id (must be in the fleet's member list)
 * @param dataDir the node's own data directory (ledger log, record store, soft-driver keys)
 * @param hsm the HSM driver and its worker pool
 * @param peerTls the internal mutual-TLS material
 */
public record NodeSpec(String member, Path dataDir, HsmSpec hsm, PeerTlsSpec peerTls) {}
