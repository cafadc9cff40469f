package dev.fleetvault.quorum.impl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * The record store's Infinispan global-state directory ({@code dataDir/records}), checked before the
 * cache manager starts. Global state is enabled only so that a member keeps its Infinispan persistent
 * identity across restarts (including kill -9); this class keeps the two ways that could stop a node
 * from starting out of the way:
 * <ul>
 *   <li>a global-state file without a readable identity (Infinispan writes it in place, so a kill
 *       during that write leaves it truncated, and Infinispan then refuses to start): it is removed with
 *       a warning and the member starts with a new identity, as it did before global state was used;</li>
 *   <li>a saved cache topology ({@code <cache>.state}, written only by a cluster-wide
 *       {@code shutdownAllCaches()}, which this project never calls): Infinispan would wait for every
 *       member of that topology before the cache starts, so such files are removed with a warning.</li>
 * </ul>
 * Nothing here ever blocks; it only reads and deletes small files.
 */
final class RecordStoreState {
    private static final Logger LOG = LoggerFactory.getLogger(RecordStoreState.class);
    /** Infinispan's global scope file name ({@code ScopedPersistentState.GLOBAL_SCOPE} + ".state"). */
    static final String GLOBAL_FILE = "___global.state";

    private RecordStoreState() {
    }

    /**
     * Prepares {@code dir} for a cache manager with persistent global state.
     *
     * @return the persistent identity the member will rejoin with, if one is stored
     */
    static Optional<UUID> prepare(int memberId, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (DirectoryStream<Path> states = Files.newDirectoryStream(dir, "*.state")) {
            for (Path p : states) {
                if (p.getFileName().toString().equals(GLOBAL_FILE)) continue;
                LOG.warn("m{}: removing saved cache topology {} (only a cluster-wide shutdown writes it; restoring it would make "
                        + "the record store wait for every member of that topology)", memberId, p);
                Files.deleteIfExists(p);
            }
        }
        Path global = dir.resolve(GLOBAL_FILE);
        if (!Files.exists(global)) return Optional.empty();
        Optional<UUID> id = readIdentity(global);
        if (id.isEmpty()) {
            LOG.warn("m{}: record store global state {} has no readable identity (interrupted write?): removed; this member "
                    + "rejoins the record store under a new identity, so after a lost majority Infinispan counts it as a new member",
                    memberId, global);
            Files.deleteIfExists(global);
        }
        return id;
    }

    static Optional<UUID> readIdentity(Path global) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(global)) {
            p.load(r);
            String uuid = p.getProperty("uuid");
            // Infinispan refuses a global state without these (GlobalStateHandler.startStateHandler)
            if (uuid == null || p.getProperty("@version") == null || p.getProperty("version-major") == null
                    || p.getProperty("@timestamp") == null) return Optional.empty();
            return Optional.of(UUID.fromString(uuid.trim()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
