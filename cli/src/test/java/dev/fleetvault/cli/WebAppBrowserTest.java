package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import dev.fleetvault.client.TransportKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.support.ui.Select;

/**
 * The web app ({@code /app}, module {@code webapp}) in headless Chromium against a real three-node
 * fleet with its local signer: the page verifies the fleet's bundle with the pinned trust file,
 * registers, counts wrong PINs, recovers byte for byte and deletes, and what it stores the Java SDK
 * recovers (and the other way round), which shows the JavaScript client speaks the same protocol as
 * the Java reference. Every screen is saved under {@code target/webapp-screenshots/} and checked
 * (not blank, the expected words on it), also at phone width.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAppBrowserTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  private TestFleet fleet;
  private Path work;
  private Path shots;

  @BeforeAll
  void startFleet() throws Exception {
    BrowserSession.requireChromium();
    work = TestDirs.fresh("webapp");
    shots = TestDirs.buildDir().resolve("webapp-screenshots");
    fleet = TestFleet.start(work.resolve("fleet"), Ports.freeBlock(Ports.FLEET_BLOCK));
  }

  @AfterAll
  void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  private int edgePort() throws Exception {
    return fleet.edges().get(0).port();
  }

  /**
   * The app's address for {@code user}: a fresh token in the fragment (never sent to the server).
   */
  String appUrl(String user) throws Exception {
    return "http://localhost:"
        + edgePort()
        + "/app/#token="
        + fleet.tokens().mint(user)
        + "&pin_params="
        + TestFleet.TEST_PIN_PARAMS;
  }

  BrowserSession browser(String name) throws Exception {
    return BrowserSession.open(work.resolve("profile-" + name + "-" + System.nanoTime()), shots);
  }

  static void openHome(BrowserSession b, String url) {
    b.driver.get(url);
    b.waitScreen("home", WAIT);
    assertThat(b.el("fleet-state").getDomAttribute("data-state"))
        .as(b.el("fleet-detail").getText())
        .isEqualTo("ok");
  }

  static void backupWithPin(BrowserSession b, String secret, String pin, int guesses) {
    b.click("go-backup");
    b.type("secret-text", secret);
    b.type("backup-pin", pin);
    b.type("backup-pin2", pin);
    new Select(b.el("guesses")).selectByValue(Integer.toString(guesses));
  }

  static String recoverWithPin(BrowserSession b, String pin) {
    if (!"recover".equals(b.screen())) {
      b.click("go-recover");
    }
    b.driver
        .findElement(org.openqa.selenium.By.cssSelector("input[name=recover-with][value=pin]"))
        .click();
    b.type("recover-pin", pin);
    b.click("recover-submit");
    return b.waitIdleAlert(WAIT);
  }

  @Test
  void pinFlow_backupWrongPinRecoverDelete_sameBytesAndEveryScreenShown() throws Exception {
    String user = "alice@example.com";
    String secret = "correct horse battery staple";
    try (BrowserSession b = browser("pin")) {
      openHome(b, appUrl(user));
      b.screenshot(
          "01-home",
          "Vault verified",
          "Signed in as " + user,
          "Back up a secret",
          "Recover my secret");

      backupWithPin(b, secret, "2468", 5);
      b.screenshot(
          "02-backup-form", "Back up a secret", "How to unlock it", "Wrong guesses allowed");
      b.click("backup-submit");
      b.waitScreen("done", WAIT);
      b.screenshot("03-backed-up", "Backed up", "your PIN", "5 wrong guesses are allowed");
      b.el("screen-done").findElement(org.openqa.selenium.By.cssSelector("button.back")).click();

      b.click("go-attempts");
      b.waitScreen("attempts", WAIT);
      assertThat(b.el("attempts-out").getText()).isEqualTo("PIN: 5 of 5");
      b.screenshot("04-attempts", "Attempts remaining", "PIN: 5 of 5", "Checking used none");
      b.el("screen-attempts")
          .findElement(org.openqa.selenium.By.cssSelector("button.back"))
          .click();

      String wrong = recoverWithPin(b, "1111");
      assertThat(wrong).contains("did not unlock it").contains("4 attempts remain");
      b.screenshot("05-wrong-pin", "That did not unlock it. 4 attempts remain.");

      assertThat(recoverWithPin(b, "2468")).isEmpty();
      b.waitScreen("secret", WAIT);
      assertThat(b.el("secret-out").getText()).isEqualTo(secret);
      b.screenshot("06-recovered", "Your secret", secret, "Recovered and checked");

      b.phone(true);
      b.screenshot("07-phone-recovered", "Your secret", secret);
      b.click("secret-forget");
      b.waitScreen("home", WAIT);
      assertThat(b.el("secret-out").getText()).isEmpty();
      b.screenshot("08-phone-home", "Back up a secret", "Delete my backup");
      b.phone(false);

      // what the page stored, the Java SDK recovers byte for byte (and the counter was reset by the
      // success)
      try (FleetvaultClient java = fleet.client(TransportKind.WEBSOCKET);
          Pin pin = Pin.of("2468".toCharArray())) {
        RecoverResult r = java.blocking().recover(user, pin);
        assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
        assertThat(
                ((RecoverResult.Recovered) r)
                    .secret()
                    .contentEquals(secret.getBytes(StandardCharsets.UTF_8)))
            .isTrue();
      }

      b.click("go-delete");
      b.click("delete-confirm");
      b.screenshot("09-delete-confirm", "Delete my backup", "I understand, delete it");
      b.click("delete-submit");
      b.waitScreen("done", WAIT);
      b.screenshot("10-deleted", "Deleted", "data centers confirmed");
      b.el("screen-done").findElement(org.openqa.selenium.By.cssSelector("button.back")).click();
      b.click("go-attempts");
      b.waitScreen("attempts", WAIT);
      assertThat(b.el("attempts-meta").getText()).contains("There is no backup for " + user);
    }
  }

  @Test
  void javaSdkRegistered_recoveredInBrowser_sameBytes() throws Exception {
    String user = "bob";
    byte[] secret = new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff, 42};
    try (FleetvaultClient java = fleet.client(TransportKind.GRPC);
        Pin pin = Pin.of("97531".toCharArray());
        BackupSecret s = BackupSecret.copyOf(secret)) {
      assertThat(java.blocking().register(user, pin, s, 3))
          .isInstanceOf(RegisterResult.Registered.class);
    }
    try (BrowserSession b = browser("sdk")) {
      openHome(b, appUrl(user));
      assertThat(recoverWithPin(b, "97531")).isEmpty();
      b.waitScreen("secret", WAIT);
      // not UTF-8 text: shown as hex
      assertThat(b.el("secret-out").getText()).isEqualTo("000102feff2a");
    }
  }

  @Test
  void page_servedWithStrictHeaders_andTrustFile() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + edgePort();
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/app/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
        .contains("default-src 'none'")
        .contains("script-src 'self'")
        .contains("connect-src 'self'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval");
    assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("cache-control")).hasValue("no-store");
    assertThat(page.body())
        .contains("<script type=\"module\" src=\"app.js\"></script>")
        .doesNotContain("<script>")
        .doesNotContain("onclick=")
        .doesNotContain("style=");
    HttpResponse<String> js =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/app/app.js")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("content-type").orElseThrow()).startsWith("text/javascript");
    String etag = js.headers().firstValue("etag").orElseThrow();
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/app/app.js"))
                        .header("If-None-Match", etag)
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(304);
    HttpResponse<String> trust =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/app/trust.json")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(trust.statusCode()).isEqualTo(200);
    assertThat(trust.body()).contains("\"signer_vkey\"").contains("\"operator_public_key\"");
    for (String p :
        List.of("/app/../pom.xml", "/app/dev/fleetvault/webapp/app/app.js", "/app/x.js")) {
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + p)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .as(p)
          .isEqualTo(404);
    }
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/app")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(308);
  }
}
