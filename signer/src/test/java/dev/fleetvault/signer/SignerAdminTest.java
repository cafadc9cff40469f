package dev.fleetvault.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.bundles.TrustAnchors;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signer's admin listener: {@code /metrics}, {@code /healthz} and {@code /readyz} on its own
 * configured address, never on the API port; the meters count requests by outcome and time the
 * HSM's signatures.
 */
class SignerAdminTest {
  static final Clock NOW = Clock.fixed(SignerTestEnv.T0.plusSeconds(86400), ZoneOffset.UTC);
  @TempDir Path dir;
  Vertx vertx;
  SignerTestEnv env;
  SignerServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    env = new SignerTestEnv(dir, 0, List.of());
    Files.writeString(
        env.config,
        "admin:\n  host: 127.0.0.1\n  port: 0\n",
        java.nio.file.StandardOpenOption.APPEND);
    server = SignerServer.startBlocking(vertx, SignerConfig.load(env.config));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get();
    env.close();
  }

  HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Test
  void metrics_afterPublishAndRefusal_scrapedOnAdminOnly() throws Exception {
    int admin = server.adminPort().orElseThrow();
    assertThat(admin).isNotEqualTo(server.port());
    SignerClient client = new SignerClient(URI.create("http://127.0.0.1:" + server.port()));
    TrustAnchors trust = env.trust(client.info().noteKey());
    new BundlePublisher(client, env.operatorSigner(), trust, NOW)
        .publish(SignerTestEnv.artifact(1));
    assertThat(get(server.port(), "/entries/999").statusCode()).isEqualTo(404);

    HttpResponse<String> m = get(admin, "/metrics");
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    String text = m.body();
    assertThat(text)
        .contains("fleetvault_signer_requests_seconds_bucket{")
        .containsPattern(
            "fleetvault_signer_requests_seconds_count\\{outcome=\"ok\",route=\"POST"
                + " /namespaces/:ns/audits\"\\} 1")
        .containsPattern(
            "fleetvault_signer_requests_seconds_count\\{outcome=\"not_found\",route=\"GET"
                + " /entries/:index\"\\} 1")
        .containsPattern("fleetvault_signer_hsm_sign_seconds_count\\{outcome=\"ok\"\\} [1-9]")
        .contains("fleetvault_signer_hsm_sign_seconds_bucket{")
        .containsPattern("fleetvault_signer_hsm_healthy 1")
        .containsPattern("fleetvault_signer_writable 1")
        .containsPattern("fleetvault_signer_log_size [1-9]")
        .contains("fleetvault_build_info{commit=")
        .contains("jvm_memory_used_bytes")
        .contains("process_cpu_usage");
    assertThat(text).as("no request values in tags").doesNotContain("/entries/999");

    assertThat(get(admin, "/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get(admin, "/readyz");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
  }

  @Test
  void publicPort_metricsRequested_notServed() throws Exception {
    assertThat(get(server.port(), "/metrics").statusCode()).isEqualTo(404);
    assertThat(get(server.port(), "/readyz").statusCode()).isEqualTo(404);
    assertThat(get(server.adminPort().orElseThrow(), "/info").statusCode())
        .as("the admin listener serves no API")
        .isEqualTo(404);
  }

  @Test
  void adminListener_boundToConfiguredAddressOnly() throws Exception {
    int admin = server.adminPort().orElseThrow();
    // Another address of this host (the loopback alias 127.0.0.2 on Linux) must not reach it.
    try (ServerSocket probe = new ServerSocket(admin, 1, InetAddress.getByName("127.0.0.2"))) {
      assertThat(probe.getLocalPort()).isEqualTo(admin);
    }
  }

  @Test
  void load_adminOnApiAddress_refusedNamingIt() throws Exception {
    String y = Files.readString(env.config).replace("port: 0\n", "port: 37199\n");
    Path f = dir.resolve("same-port.yaml");
    Files.writeString(f, y);
    assertThatThrownBy(() -> SignerConfig.load(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key 'admin': 127.0.0.1:37199 is the API's address");
  }

  @Test
  void startBlocking_adminPortTaken_failsNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Path d2 = dir.resolve("second");
      Files.createDirectories(d2);
      try (SignerTestEnv e2 = new SignerTestEnv(d2, 0, List.of())) {
        Files.writeString(
            e2.config,
            "admin:\n  host: 127.0.0.1\n  port: " + taken.getLocalPort() + "\n",
            java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> SignerServer.startBlocking(vertx, SignerConfig.load(e2.config)))
            .hasMessageContaining(
                "admin listener could not bind 127.0.0.1:" + taken.getLocalPort());
      }
    }
  }
}
