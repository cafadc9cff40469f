package dev.fleetvault.gateway.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14.5: development TLS private keys are owner-only (0600), also keys written earlier. */
class DevPkiPermissionsTest {
  @TempDir Path dir;

  @Test
  void ensure_freshDirectory_keysOwnerOnly() throws Exception {
    DevPki.ensure(dir, "dc1");
    assertThat(mode(dir.resolve("fleet-ca.key.pem"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("dc1.key.pem"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("dc1.crt.pem"))).isEqualTo("rw-r--r--");
  }

  @Test
  void ensure_existingWorldReadableKeys_tightenedToOwnerOnly() throws Exception {
    DevPki.ensure(dir, "dc1");
    for (String f : new String[] {"fleet-ca.key.pem", "dc1.key.pem"}) {
      Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
    }
    DevPki.ensure(dir, "dc1");
    assertThat(mode(dir.resolve("fleet-ca.key.pem"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("dc1.key.pem"))).isEqualTo("rw-------");
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
