package dev.fleetvault.signer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleVerifier;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.VerificationResult;
import dev.fleetvault.bundles.VerifierState;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSignerTest {
  @TempDir Path dir;

  static List<FleetMember> members() {
    List<FleetMember> ms = new ArrayList<>();
    for (int i = 3; i >= 1; i--) {
      ms.add(
          new FleetMember(
              "dc" + i,
              "dc" + i,
              SignerTestEnv.point(),
              SignerTestEnv.point(),
              FleetMember.ROLE_MEMBER));
    }
    return ms;
  }

  @Test
  void publishIfChanged_sameFleetAcrossRestart_keepsEpochAndNewKeysRotate() throws Exception {
    Path pass = dir.resolve("pass.txt");
    Files.writeString(pass, "dev passphrase\n");
    Vertx vertx = Vertx.vertx();
    List<FleetMember> fleet = members();
    try {
      Bundle b1;
      TrustAnchors trust;
      try (LocalSigner s = LocalSigner.start(vertx, dir.resolve("signer"), pass, 0)) {
        b1 = s.publishIfChanged("local", 2, fleet, Duration.ofDays(30));
        assertThat(b1.message().epoch()).isEqualTo(1);
        assertThat(s.publishIfChanged("local", 2, fleet, Duration.ofDays(30)))
            .isEqualTo(s.server().service().bundle(FleetArtifact.NAMESPACE, 1L));
        trust = TrustAnchors.parse(Files.readAllBytes(s.trustFile()));
      }
      try (LocalSigner s = LocalSigner.start(vertx, dir.resolve("signer"), pass, 0)) {
        assertThat(s.trust().toJson()).isEqualTo(trust.toJson()); // same keys after a restart
        assertThat(s.publishIfChanged("local", 2, fleet, Duration.ofDays(30)).message().epoch())
            .isEqualTo(1);
        Bundle b2 = s.publishIfChanged("local", 2, members(), Duration.ofDays(30));
        assertThat(b2.message().epoch()).isEqualTo(2);
        VerificationResult r =
            new BundleVerifier(trust, Clock.systemUTC())
                .verify(
                    new SignerClient(s.url()).envelope(FleetArtifact.NAMESPACE, 0),
                    VerifierState.initial());
        assertThat(r.accepted()).as(r.toString()).isTrue();
        assertThat(((VerificationResult.Accepted) r).artifact().epoch()).isEqualTo(2);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
