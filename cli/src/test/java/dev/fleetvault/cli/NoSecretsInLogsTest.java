package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import dev.fleetvault.client.TransportKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A full register / wrong PIN / recover / CLI run with a known PIN and secret, then every byte the
 * nodes logged (DEBUG, file under the build directory) and every file in the data directory is
 * scanned for the PIN and the secret, raw and in hex and base64.
 */
@Tag("process")
class NoSecretsInLogsTest {
  private static final String PIN = "Pq7-zebra-4411";
  private static final byte[] SECRET =
      "FV-SECRET-5f1c2b9e-known-plaintext-for-scan".getBytes(StandardCharsets.UTF_8);

  @Test
  void fullRun_knownPinAndSecret_appearNowhereInLogsOrData() throws Exception {
    Path work = TestDirs.fresh("nosecrets");
    Path secretFile = work.resolve("secret.bin");
    Files.write(secretFile, SECRET);
    Path logFile = TestDirs.buildDir().resolve("test-logs").resolve("cli-tests.log");
    TestFleet fleet = TestFleet.start(work.resolve("fleet"), Ports.freeBlock(Ports.FLEET_BLOCK));
    try {
      for (TransportKind t : TransportKind.values()) {
        try (FleetvaultClient c = fleet.client(t);
            Pin pin = Pin.of(PIN.toCharArray());
            Pin wrong = Pin.of("Pq7-zebra-4412".toCharArray());
            BackupSecret s = BackupSecret.copyOf(SECRET)) {
          String user = "scan-" + t.name().toLowerCase();
          assertThat(c.blocking().register(user, pin, s, 5))
              .isInstanceOf(RegisterResult.Registered.class);
          assertThat(c.blocking().recover(user, wrong)).isInstanceOf(RecoverResult.WrongPin.class);
          RecoverResult r = c.blocking().recover(user, pin);
          assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
          assertThat(((RecoverResult.Recovered) r).secret().contentEquals(SECRET)).isTrue();
        }
      }
      CliRun reg =
          CliRun.run(
              PIN + "\n",
              fleet.cliArgs(),
              "register",
              "--user",
              "scan-cli",
              "--secret-file",
              secretFile.toString());
      assertThat(reg.exit()).as(reg.toString()).isEqualTo(ExitCodes.OK);
      CliRun rec =
          CliRun.run(
              PIN + "\n",
              fleet.cliArgs(),
              "recover",
              "--user",
              "scan-cli",
              "--out",
              work.resolve("recovered.bin").toString());
      assertThat(rec.exit()).as(rec.toString()).isEqualTo(ExitCodes.OK);
      assertThat(reg.stderr() + rec.stderr()).doesNotContain(PIN);
    } finally {
      fleet.close();
    }

    Map<String, byte[]> needles = needles();
    List<String> found = new ArrayList<>();
    long[] scanned = new long[2];
    assertThat(logFile).exists();
    scan(logFile, needles, found, scanned);
    try (Stream<Path> files = Files.walk(fleet.dataRoot())) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        scan(f, needles, found, scanned);
      }
    }
    System.out.printf(
        "scanned %d files, %d bytes, for %d forms of the PIN and the secret%n",
        scanned[0], scanned[1], needles.size());
    assertThat(scanned[0]).isGreaterThan(3);
    assertThat(Files.size(logFile)).isPositive();
    assertThat(found).isEmpty();
  }

  private static Map<String, byte[]> needles() {
    Map<String, byte[]> n = new LinkedHashMap<>();
    add(n, "PIN", PIN.getBytes(StandardCharsets.UTF_8));
    add(n, "secret", SECRET);
    return n;
  }

  private static void add(Map<String, byte[]> n, String what, byte[] value) {
    n.put(what + " raw", value);
    n.put(what + " hex", HexFormat.of().formatHex(value).getBytes(StandardCharsets.US_ASCII));
    n.put(
        what + " HEX",
        HexFormat.of().withUpperCase().formatHex(value).getBytes(StandardCharsets.US_ASCII));
    n.put(
        what + " base64",
        Base64.getEncoder()
            .withoutPadding()
            .encodeToString(value)
            .getBytes(StandardCharsets.US_ASCII));
    n.put(
        what + " base64url",
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(value)
            .getBytes(StandardCharsets.US_ASCII));
    n.put(
        what + " utf16",
        new String(value, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_16LE));
  }

  private static void scan(
      Path file, Map<String, byte[]> needles, List<String> found, long[] scanned)
      throws IOException {
    byte[] hay = Files.readAllBytes(file);
    scanned[0]++;
    scanned[1] += hay.length;
    for (Map.Entry<String, byte[]> e : needles.entrySet()) {
      if (indexOf(hay, e.getValue()) >= 0) {
        found.add(e.getKey() + " in " + file);
      }
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
