package dev.fleetvault.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for page tests: Debian's {@code /usr/bin/chromium} driven by {@code
 * /usr/bin/chromedriver} ({@code webdriver.chrome.driver} is set, so Selenium downloads nothing),
 * with a fresh profile and the flags that keep it off the network. Without them the test is skipped
 * loudly, and fails when {@code CI=true}.
 */
final class HeadlessChromium {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private HeadlessChromium() {}

  /** Skips (loudly) or fails (CI) when Chromium or its driver is missing. */
  static void requireOrSkip() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String msg =
        "MISSING "
            + CHROMIUM
            + " and/or "
            + CHROMEDRIVER
            + " (apt-get install chromium chromium-driver)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(msg + " (required because CI=true)");
    }
    System.err.println("[SKIPPED LOUDLY] " + msg);
    Assumptions.assumeTrue(false, msg);
  }

  /**
   * A new headless browser with a window of {@code width}×{@code height} CSS pixels; the caller
   * quits it.
   */
  static ChromeDriver start(Path profile, int width, int height) throws Exception {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    Files.createDirectories(profile);
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=" + width + "," + height);
    ChromeDriverService svc =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver d = new ChromeDriver(svc, o);
    d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    // headless windows have a minimum width; emulate the phone's viewport exactly
    d.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        java.util.Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", true));
    return d;
  }
}
