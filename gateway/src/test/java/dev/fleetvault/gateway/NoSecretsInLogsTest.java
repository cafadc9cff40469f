package dev.fleetvault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.support.GrpcTransport;
import dev.fleetvault.gateway.support.SharedFleet;
import dev.fleetvault.gateway.support.TestClient;
import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.gateway.support.VaultTransport;
import dev.fleetvault.gateway.support.WsTransport;
import dev.fleetvault.protocol.flow.RecoverResult;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A full register / recover (right and wrong PIN) with a known PIN and secret, then a scan of the
 * node logs and every file of the fleet's data directory for the PIN, the secret, and their hex and
 * base64 forms.
 */
@Tag("process")
class NoSecretsInLogsTest {
  @Test
  void registerRecover_knownPinAndSecret_neverInLogsOrData() throws Exception {
    TestFleet fleet = SharedFleet.get();
    Vertx vertx = Vertx.vertx();
    byte[] secret = new byte[48];
    new SecureRandom().nextBytes(secret);
    String pin = "pin-" + HexFormat.of().formatHex(secret, 0, 6) + "-Q";
    String wrong = "pin-" + HexFormat.of().formatHex(secret, 6, 12) + "-W";
    String user = "scan-" + HexFormat.of().formatHex(secret, 12, 16);
    try {
      LocalFleet.Edge e = fleet.fleet().edges().get(0);
      try (VaultTransport g = new GrpcTransport(vertx, e.host(), e.port());
          VaultTransport w = new WsTransport(vertx, e.host(), e.port())) {
        new TestClient(g, fleet.realm(), fleet::token).register(user, pin, secret, 5);
        assertThat(new TestClient(w, fleet.realm(), fleet::token).recover(user, wrong))
            .isEqualTo(new RecoverResult.WrongPin(4));
        RecoverResult r = new TestClient(g, fleet.realm(), fleet::token).recover(user, pin);
        assertThat(((RecoverResult.Recovered) r).secret().copy()).isEqualTo(secret);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    List<byte[]> needles = new ArrayList<>();
    for (byte[] s :
        new byte[][] {
          secret, pin.getBytes(StandardCharsets.UTF_8), wrong.getBytes(StandardCharsets.UTF_8)
        }) {
      needles.add(s);
      needles.add(HexFormat.of().formatHex(s).getBytes(StandardCharsets.US_ASCII));
      needles.add(HexFormat.of().withUpperCase().formatHex(s).getBytes(StandardCharsets.US_ASCII));
      needles.add(
          Base64.getEncoder()
              .withoutPadding()
              .encodeToString(s)
              .getBytes(StandardCharsets.US_ASCII));
      needles.add(
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(s)
              .getBytes(StandardCharsets.US_ASCII));
    }
    List<Path> files = new ArrayList<>();
    Path log = Path.of(System.getProperty("fleetvault.buildDir", "target"), "gateway-test.log");
    files.add(log);
    try (Stream<Path> all = Files.walk(fleet.dir())) {
      all.filter(Files::isRegularFile).forEach(files::add);
    }
    assertThat(Files.exists(log)).as("the node log exists: " + log).isTrue();
    List<String> hits = new ArrayList<>();
    for (Path f : files) {
      byte[] content;
      try {
        content = Files.readAllBytes(f);
      } catch (java.io.IOException ex) {
        continue;
      }
      for (int n = 0; n < needles.size(); n++) {
        if (indexOf(content, needles.get(n)) >= 0) {
          hits.add(f + " contains needle " + n);
        }
      }
    }
    System.out.println("scanned " + files.size() + " files for " + needles.size() + " needles");
    assertThat(files.size()).isGreaterThan(5);
    assertThat(hits).isEmpty();
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
