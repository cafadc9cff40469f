package dev.fleetvault.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.protocol.flow.MemberKey;
import dev.fleetvault.protocol.flow.RealmConfig;
import dev.fleetvault.protocol.hpke.HpkeKeyPair;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ClientOptions: the app id the SDK binds into every envelope and attempt id. */
class ClientOptionsTest {
  private static final RealmSource REALM =
      RealmSource.pinned(
          RealmConfig.of(
              "f",
              1,
              List.of(
                  MemberKey.of(
                      1,
                      HpkeKeyPair.generate(new SecureRandom()).publicKey().encodeUncompressed())),
              "argon2id-v1-insecure-test-only"));

  private static ClientOptions.Builder base() {
    return ClientOptions.builder()
        .edges(List.of(new Edge("127.0.0.1", 1)))
        .tokens(u -> null)
        .realm(REALM);
  }

  /** Property: the app id is required and must be a valid app id; a valid one is kept. */
  @Test
  void build_missingOrInvalidAppId_refused_validKept() {
    assertThatThrownBy(() -> base().build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("appId");
    assertThatThrownBy(() -> base().appId("bad/app").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[A-Za-z0-9._-]");
    assertThat(base().appId("dev-app").build().appId()).isEqualTo("dev-app");
  }
}
