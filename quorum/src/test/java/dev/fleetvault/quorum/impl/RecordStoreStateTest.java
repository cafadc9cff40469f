package dev.fleetvault.quorum.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record store's global-state directory check: nothing in it may stop a node from starting. */
class RecordStoreStateTest {
    private static final String VALID = """
            #comment
            @version=16.1.4.Final
            version-major=16
            @timestamp=2026-12-07T19:00:00Z
            uuid=%s
            """;

    @Test
    void prepare_validGlobalState_keptAndIdentityReturned(@TempDir Path dir) throws Exception {
        UUID id = UUID.randomUUID();
        Files.writeString(dir.resolve(RecordStoreState.GLOBAL_FILE), VALID.formatted(id));
        assertThat(RecordStoreState.prepare(1, dir)).contains(id);
        assertThat(dir.resolve(RecordStoreState.GLOBAL_FILE)).exists();
    }

    @Test
    void prepare_truncatedGlobalState_removedAndNoIdentity(@TempDir Path dir) throws Exception {
        String full = VALID.formatted(UUID.randomUUID());
        Files.writeString(dir.resolve(RecordStoreState.GLOBAL_FILE), full.substring(0, full.indexOf("@timestamp")));
        assertThat(RecordStoreState.prepare(1, dir)).isEmpty();
        assertThat(dir.resolve(RecordStoreState.GLOBAL_FILE)).doesNotExist();
    }

    @Test
    void prepare_garbledUuid_removedAndNoIdentity(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(RecordStoreState.GLOBAL_FILE), VALID.formatted("not-a-uuid"));
        assertThat(RecordStoreState.prepare(1, dir)).isEmpty();
        assertThat(dir.resolve(RecordStoreState.GLOBAL_FILE)).doesNotExist();
    }

    @Test
    void prepare_savedCacheTopology_removedGlobalStateKept(@TempDir Path dir) throws Exception {
        UUID id = UUID.randomUUID();
        Files.writeString(dir.resolve(RecordStoreState.GLOBAL_FILE), VALID.formatted(id));
        Files.writeString(dir.resolve(InfinispanRecordStore.CACHE + ".state"), "members=3\n");
        assertThat(RecordStoreState.prepare(1, dir)).contains(id);
        assertThat(dir.resolve(InfinispanRecordStore.CACHE + ".state")).doesNotExist();
        assertThat(dir.resolve(RecordStoreState.GLOBAL_FILE)).exists();
    }

    @Test
    void prepare_emptyOrMissingDirectory_noIdentity(@TempDir Path dir) throws Exception {
        assertThat(RecordStoreState.prepare(1, dir.resolve("records"))).isEmpty();
        assertThat(dir.resolve("records")).isDirectory();
    }
}
