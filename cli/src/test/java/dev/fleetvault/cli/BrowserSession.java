package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium with a fresh profile, driven through {@code /usr/bin/chromedriver}
 * (nothing is downloaded), with helpers for the web app's screens and checked screenshots under
 * {@code target/}.
 */
final class BrowserSession implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  final ChromeDriver driver;
  private final Path shots;

  private BrowserSession(ChromeDriver driver, Path shots) {
    this.driver = driver;
    this.shots = shots;
  }

  /** Skips loudly without Chromium (fails under {@code CI=true}). */
  static void requireChromium() {
    boolean ok = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (ok) {
      return;
    }
    String msg =
        "MISSING "
            + CHROMIUM
            + " or "
            + CHROMEDRIVER
            + " (apt-get install chromium chromium-driver)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(msg + " (required because CI=true)");
    }
    System.err.println("[SKIPPED LOUDLY] " + msg);
    Assumptions.assumeTrue(false, msg);
  }

  static BrowserSession open(Path profile, Path shots) throws IOException {
    requireChromium();
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    Files.createDirectories(profile);
    Files.createDirectories(shots);
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    o.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new BrowserSession(new ChromeDriver(service, o), shots);
  }

  WebElement el(String id) {
    return driver.findElement(By.id(id));
  }

  /** Waits until {@code screen} is the visible one (the page sets body[data-screen]). */
  void waitScreen(String screen, Duration timeout) {
    try {
      new WebDriverWait(driver, timeout)
          .until(
              d ->
                  screen.equals(d.findElement(By.tagName("body")).getDomAttribute("data-screen"))
                      && d.findElement(By.id("busy")).getDomAttribute("hidden") != null);
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "screen "
              + screen
              + " did not appear; the page shows:\n"
              + bodyText()
              + "\nconsole: "
              + consoleErrors(),
          e);
    }
  }

  /** Waits until no work is in progress, then returns the alert text ("" when none). */
  String waitIdleAlert(Duration timeout) {
    new WebDriverWait(driver, timeout)
        .until(d -> d.findElement(By.id("busy")).getDomAttribute("hidden") != null);
    WebElement a = el("alert");
    return a.isDisplayed() ? a.getText() : "";
  }

  /** The visible screen's name. */
  String screen() {
    return driver.findElement(By.tagName("body")).getDomAttribute("data-screen");
  }

  void type(String id, String text) {
    WebElement e = el(id);
    e.clear();
    e.sendKeys(text);
  }

  void click(String id) {
    el(id).click();
  }

  String bodyText() {
    return driver.findElement(By.tagName("body")).getText();
  }

  /**
   * A DevTools virtual authenticator (CTAP2, internal, resident keys, user verification that
   * succeeds, PRF) that answers WebAuthn in this browser; returns its id.
   */
  String addVirtualAuthenticator() {
    driver.executeCdpCommand("WebAuthn.enable", Map.of("enableUI", false));
    Map<String, Object> options = new java.util.HashMap<>();
    options.put("protocol", "ctap2");
    options.put("ctap2Version", "ctap2_1");
    options.put("transport", "internal");
    options.put("hasResidentKey", true);
    options.put("hasUserVerification", true);
    options.put("isUserVerified", true);
    options.put("hasPrf", true);
    options.put("automaticPresenceSimulation", true);
    Map<String, Object> r =
        driver.executeCdpCommand("WebAuthn.addVirtualAuthenticator", Map.of("options", options));
    return (String) r.get("authenticatorId");
  }

  /** The credentials the virtual authenticator holds (private keys included: test only). */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> credentials(String authenticatorId) {
    Map<String, Object> r =
        driver.executeCdpCommand(
            "WebAuthn.getCredentials", Map.of("authenticatorId", authenticatorId));
    return (List<Map<String, Object>>) r.get("credentials");
  }

  void addCredential(String authenticatorId, Map<String, Object> credential) {
    driver.executeCdpCommand(
        "WebAuthn.addCredential",
        Map.of("authenticatorId", authenticatorId, "credential", credential));
  }

  /**
   * Phone-sized viewport (390x844 CSS pixels, touch, mobile) through DevTools, or back to the
   * desktop.
   */
  void phone(boolean on) {
    if (on) {
      driver.executeCdpCommand(
          "Emulation.setDeviceMetricsOverride",
          Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
    } else {
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  /**
   * Saves a screenshot as {@code <name>.png} and checks it: it decodes, is not blank (more than a
   * handful of colours and no colour covers 99% of it), and the page shows every {@code expected}
   * text.
   */
  Path screenshot(String name, String... expected) throws IOException {
    String text = bodyText();
    for (String e : expected) {
      assertThat(text).as("screen %s shows %s", name, e).contains(e);
    }
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    Path out = shots.resolve(name + ".png");
    Files.write(out, png);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(img).as("screenshot %s decodes", name).isNotNull();
    Map<Integer, Integer> counts = new java.util.HashMap<>();
    Set<Integer> colours = new HashSet<>();
    int total = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        counts.merge(rgb, 1, Integer::sum);
        total++;
      }
    }
    int top = counts.values().stream().max(Integer::compare).orElse(0);
    assertThat(colours.size())
        .as("screenshot %s has more than a few colours", name)
        .isGreaterThan(16);
    assertThat(top).as("screenshot %s is not one flat colour", name).isLessThan(total * 99 / 100);
    return out;
  }

  List<String> consoleErrors() {
    return driver.manage().logs().getAvailableLogTypes().contains("browser")
        ? driver.manage().logs().get("browser").getAll().stream().map(Object::toString).toList()
        : List.of();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
