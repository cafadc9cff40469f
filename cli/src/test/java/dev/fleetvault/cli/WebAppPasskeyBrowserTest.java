package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * Passkeys in the web app (PROTOCOL.md section 21), in headless Chromium with a DevTools virtual
 * authenticator (CTAP2, internal, resident keys, user verification, PRF) against a real fleet whose
 * app allows rp id {@code localhost} from dc1's origin only. One secret behind a PIN and a passkey;
 * either recovers it byte for byte, also after the page's storage is wiped (the app keeps nothing:
 * the credential id and rp id come from the members). Every assertion the members must refuse is
 * refused and counts nothing (the attempts stay the same): one from another origin (the page on
 * dc2's edge), one for another attempt (another challenge), a replayed one, one by another
 * credential. Screenshots under {@code target/webapp-screenshots/}.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAppPasskeyBrowserTest {
  static final Duration WAIT = Duration.ofSeconds(90);
  static final String SECRET = "passkey-protected backup key 42";
  private TestFleet fleet;
  private Path work;
  private Path shots;

  @BeforeAll
  void startFleet() throws Exception {
    BrowserSession.requireChromium();
    work = TestDirs.fresh("webapp-passkey");
    shots = TestDirs.buildDir().resolve("webapp-screenshots");
    fleet = TestFleet.start(work.resolve("fleet"), Ports.freeBlock(Ports.FLEET_BLOCK), true);
  }

  @AfterAll
  void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  private String url(int member, String user) throws Exception {
    return "http://localhost:"
        + fleet.edges().get(member - 1).port()
        + "/app/#token="
        + fleet.tokens().mint(user)
        + "&pin_params="
        + TestFleet.TEST_PIN_PARAMS;
  }

  /** A real page load (a fragment-only change of the same page would not reload it). */
  private static void load(BrowserSession b, String url) {
    b.driver.get("about:blank");
    b.driver.get(url);
    b.waitScreen("home", WAIT);
  }

  private static String recoverWithPasskey(BrowserSession b) {
    if (!"recover".equals(b.screen())) {
      b.click("go-recover");
    }
    b.driver.findElement(By.cssSelector("input[name=recover-with][value=passkey]")).click();
    b.click("recover-submit");
    return b.waitIdleAlert(WAIT);
  }

  private static String attempts(BrowserSession b) {
    back(b);
    b.click("go-attempts");
    b.waitScreen("attempts", WAIT);
    String text = b.el("attempts-out").getText();
    back(b);
    return text;
  }

  private static void back(BrowserSession b) {
    String s = b.screen();
    if (!"home".equals(s)) {
      if ("secret".equals(s)) {
        b.click("secret-forget");
      } else {
        b.el("screen-" + s).findElement(By.cssSelector("button.back")).click();
      }
      b.waitScreen("home", WAIT);
    }
  }

  /**
   * Wraps navigator.credentials.get in the page (a WebDriver script: the page's CSP does not apply
   * to it).
   */
  private static void tamperSecondGet(BrowserSession b, String mode) {
    b.driver.executeScript(
        "const mode = arguments[0];"
            + "const real = navigator.credentials.get.bind(navigator.credentials);"
            + "let n = 0;"
            + "navigator.credentials.get = async (opts) => {"
            + "  n++;"
            + "  if (n === 1) return real(opts);" // the PRF ceremony, untouched
            + "  if (mode === 'replay' && n === 2) { const a = await real(opts); window.__saved = a; return a; }"
            + "  if (mode === 'replay' && n === 4) return window.__saved;"
            + "  if (mode === 'other-attempt') { const o = structuredClone(opts); o.publicKey.challenge = crypto.getRandomValues(new Uint8Array(32)); return real(o); }"
            + "  if (mode === 'other-credential') { const o = structuredClone(opts); o.publicKey.allowCredentials = [{type: 'public-key', id: window.__otherId}]; return real(o); }"
            + "  return real(opts);"
            + "};",
        mode);
  }

  @Test
  void passkeyAndPin_eitherRecovers_refusedAssertionsCountNothing() throws Exception {
    String user = "carol@example.com";
    try (BrowserSession b = BrowserSession.open(work.resolve("profile-a"), shots)) {
      String authenticator = b.addVirtualAuthenticator();
      load(b, url(1, user));
      assertThat(b.el("fleet-state").getDomAttribute("data-state")).isEqualTo("ok");

      // one secret, a PIN and a passkey
      b.click("go-backup");
      b.type("secret-text", SECRET);
      b.type("backup-pin", "135790");
      b.type("backup-pin2", "135790");
      b.click("use-passkey");
      new Select(b.el("guesses")).selectByValue("3");
      b.screenshot(
          "11-backup-pin-and-passkey",
          "A passkey on this device",
          "Your device asks for your fingerprint");
      b.click("backup-submit");
      b.waitScreen("done", WAIT);
      b.screenshot("12-backed-up-pin-and-passkey", "Backed up", "your passkey or your PIN");
      assertThat(b.credentials(authenticator)).hasSize(1);
      assertThat(attempts(b)).isEqualTo("PIN: 3 of 3\nPasskey: 3 of 3");

      // the passkey recovers it
      assertThat(recoverWithPasskey(b)).isEmpty();
      b.waitScreen("secret", WAIT);
      assertThat(b.el("secret-out").getText()).isEqualTo(SECRET);
      b.screenshot("13-recovered-with-passkey", "Your secret", SECRET);
      back(b);

      // wipe everything the page kept (verifier state, token): the passkey alone still recovers it
      b.driver.executeScript("localStorage.clear(); sessionStorage.clear();");
      load(b, url(1, user));
      assertThat(recoverWithPasskey(b)).isEmpty();
      b.waitScreen("secret", WAIT);
      assertThat(b.el("secret-out").getText()).isEqualTo(SECRET);
      back(b);

      // and the PIN recovers the same bytes
      assertThat(WebAppBrowserTest.recoverWithPin(b, "135790")).isEmpty();
      b.waitScreen("secret", WAIT);
      assertThat(b.el("secret-out").getText()).isEqualTo(SECRET);
      back(b);
      assertThat(attempts(b)).isEqualTo("PIN: 3 of 3\nPasskey: 3 of 3");

      // an assertion for another attempt (another challenge): refused by the members, nothing
      // counted
      tamperSecondGet(b, "other-attempt");
      assertThat(recoverWithPasskey(b))
          .contains("refused this passkey confirmation")
          .contains("no attempt was used");
      b.screenshot("14-passkey-refused", "refused this passkey confirmation", "3 remain");
      assertThat(attempts(b)).isEqualTo("PIN: 3 of 3\nPasskey: 3 of 3");

      // a replayed assertion: a good recovery keeps its assertion, the next one sends the same
      // assertion again
      load(b, url(1, user));
      tamperSecondGet(b, "replay");
      assertThat(recoverWithPasskey(b)).isEmpty();
      b.waitScreen("secret", WAIT);
      back(b);
      assertThat(recoverWithPasskey(b)).contains("refused this passkey confirmation");
      assertThat(attempts(b)).isEqualTo("PIN: 3 of 3\nPasskey: 3 of 3");

      // an assertion by another credential of the same authenticator and rp id
      load(b, url(1, user));
      String other =
          (String)
              b.driver.executeAsyncScript(
                  "const cb = arguments[arguments.length - 1];"
                      + "navigator.credentials.create({publicKey: {rp: {id: 'localhost', name: 'x'}, user: {id: new Uint8Array(16),"
                      + " name: 'other', displayName: 'other'}, challenge: new Uint8Array(32), pubKeyCredParams: [{type: 'public-key', alg: -7}],"
                      + " authenticatorSelection: {userVerification: 'required'}}}).then(c => { window.__otherId = new Uint8Array(c.rawId);"
                      + " cb('ok'); }, e => cb('ERR ' + e));");
      assertThat(other).isEqualTo("ok");
      tamperSecondGet(b, "other-credential");
      assertThat(recoverWithPasskey(b)).contains("refused this passkey confirmation");
      assertThat(attempts(b)).isEqualTo("PIN: 3 of 3\nPasskey: 3 of 3");

      // the page on another origin (dc2's edge; the app allows dc1's origin only): refused, nothing
      // counted
      load(b, url(2, user));
      assertThat(recoverWithPasskey(b)).contains("refused this passkey confirmation");
      b.screenshot("14b-other-origin-refused", "refused this passkey confirmation");
      load(b, url(1, user));
      assertThat(attempts(b)).isEqualTo("PIN: 3 of 3\nPasskey: 3 of 3");

      // the credential moved into a fresh profile's authenticator (DevTools exports no PRF secret):
      // the PRF
      // ceremony fails, the page says so in words, and no attempt is spent
      List<Map<String, Object>> creds = b.credentials(authenticator);
      try (BrowserSession fresh = BrowserSession.open(work.resolve("profile-b"), shots)) {
        String id2 = fresh.addVirtualAuthenticator();
        fresh.addCredential(id2, creds.get(0));
        load(fresh, url(1, user));
        // Chromium 156 answers either without PRF results or NotAllowedError for an imported
        // credential
        assertThat(recoverWithPasskey(fresh))
            .containsAnyOf("cannot derive keys", "has no passkey for this account");
        assertThat(attempts(fresh)).isEqualTo("PIN: 3 of 3\nPasskey: 3 of 3");
        fresh.phone(true);
        fresh.click("go-attempts");
        fresh.waitScreen("attempts", WAIT);
        fresh.screenshot("15-phone-attempts-pin-and-passkey", "PIN: 3 of 3", "Passkey: 3 of 3");
      }
    }
  }
}
