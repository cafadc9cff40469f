package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.signer.LocalSigner;
import io.vertx.core.Vertx;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The transparency site of two fleet epochs from two key ceremonies (3 members, then 5), built with
 * {@code fleetvault transparency build}, served by the signer at {@code /transparency/} and read in
 * headless Chromium at phone width: screenshots of the index and an epoch page (kept under {@code
 * target/transparency-site/}), expected text, no horizontal overflow, every link answering 200, and
 * the page's verify command, run as printed, verifying the deployment.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransparencySiteBrowserTest {
  private static final int PHONE_WIDTH = 390;
  private Path work;
  private Vertx vertx;
  private LocalSigner signer;
  private ChromeDriver browser;
  private String site;
  private Path shots;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  void setUp() throws Exception {
    HeadlessChromium.requireOrSkip();
    work = TestDirs.fresh("transparency-site");
    TestCeremony ceremony = new TestCeremony(work);
    TestCeremony.Result c1 = ceremony.run("c1", 3, 1);
    TestCeremony.Result c2 = ceremony.run("c2", 5, 2);
    vertx = Vertx.vertx();
    Path pass = work.resolve("signer-pass.txt");
    Files.writeString(pass, "signer test passphrase\n", StandardCharsets.US_ASCII);
    signer = LocalSigner.start(vertx, work.resolve("signer"), pass, 0);
    signer.publish(FleetArtifact.parse(Files.readAllBytes(c1.artifact())));
    signer.publish(FleetArtifact.parse(Files.readAllBytes(c2.artifact())));
    site = signer.url() + "/transparency/";
    List<String> args =
        new ArrayList<>(
            List.of(
                "transparency",
                "build",
                "--signer",
                signer.url().toString(),
                "--out",
                work.resolve("signer").resolve(LocalSigner.TRANSPARENCY_DIR).toString(),
                "--evidence",
                c1.evidence().toString(),
                "--evidence",
                c2.evidence().toString(),
                "--trust",
                signer.trustFile().toString(),
                "--base-url",
                site));
    args.addAll(ceremony.witnessArgs());
    CliRun b = CliRun.run("", args.toArray(new String[0]));
    System.out.println(b.out() + b.stderr());
    assertThat(b.exit()).as(b.toString()).isZero();
    assertThat(b.out()).contains("2 epochs (2 with evidence)");
    shots = TestDirs.buildDir().resolve("transparency-site");
    Files.createDirectories(shots);
    browser = HeadlessChromium.start(work.resolve("chromium-profile"), PHONE_WIDTH, 844);
  }

  @AfterAll
  void tearDown() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (signer != null) {
      signer.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private int status(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Screenshot of the whole page, checked to be a real rendering (many colours, not one). */
  private void screenshot(String name) throws Exception {
    byte[] png = browser.getScreenshotAs(OutputType.BYTES);
    Path f = shots.resolve(name + ".png");
    Files.write(f, png);
    BufferedImage img = ImageIO.read(f.toFile());
    assertThat(img.getWidth()).isEqualTo(PHONE_WIDTH);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        colours.add(img.getRGB(x, y));
      }
    }
    assertThat(colours.size()).as(f + " is not a blank or single-colour image").isGreaterThan(20);
    System.out.println("screenshot " + f + " (" + colours.size() + " colours)");
  }

  /** Every link and stylesheet on the current page, as absolute URLs. */
  private Set<String> links() {
    Set<String> out = new LinkedHashSet<>();
    for (WebElement a : browser.findElements(By.cssSelector("a[href], link[href]"))) {
      out.add(a.getDomAttribute("href") == null ? "" : a.getDomProperty("href"));
    }
    return out;
  }

  private void assertAllLinksResolve() throws Exception {
    Set<String> l = links();
    assertThat(l).isNotEmpty();
    for (String u : l) {
      assertThat(u).startsWith(signer.url().toString());
      assertThat(status(u)).as("link " + u + " on " + browser.getCurrentUrl()).isEqualTo(200);
    }
  }

  private void assertFitsPhoneWidth() {
    Object overflow =
        browser.executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
    assertThat(((Number) overflow).intValue())
        .as("horizontal overflow at " + PHONE_WIDTH + "px")
        .isLessThanOrEqualTo(0);
    Object sticking =
        browser.executeScript(
            "return Array.from(document.querySelectorAll('body *'))"
                + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                + ".map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40)).slice(0, 5).join(' | ');");
    assertThat((String) sticking)
        .as("elements reaching past the right edge at " + PHONE_WIDTH + "px")
        .isEmpty();
  }

  @Test
  void index_listsEveryEpoch_readableAtPhoneWidth_linksResolve() throws Exception {
    browser.get(site);
    String text = browser.findElement(By.tagName("body")).getText();
    assertThat(text)
        .contains(
            "Fleet cer",
            "Epoch 2",
            "Epoch 1",
            "5 (dc1, dc2, dc3, dc4, dc5)",
            "3 of 5",
            "2 of 3",
            "Evidence published",
            "fleetvault.local/signer",
            "Latest checkpoint",
            "alice",
            "bob");
    assertThat(browser.getTitle()).contains("Fleetvault transparency");
    assertFitsPhoneWidth();
    screenshot("index-phone");
    assertAllLinksResolve();
  }

  @Test
  void epochPage_showsMembersChangesAndEvidence_andItsVerifyCommandVerifies() throws Exception {
    browser.get(site);
    browser.findElement(By.linkText("Epoch 2")).click();
    assertThat(browser.getCurrentUrl()).isEqualTo(site + "epochs/2/index.html");
    String text = browser.findElement(By.tagName("body")).getText();
    assertThat(text)
        .contains(
            "Fleet cer · epoch 2",
            "3 of 5 members",
            "What changed since epoch 1",
            "member dc4",
            "member dc5",
            "added",
            "threshold 2 → 3",
            "Members and keys",
            "Fleetvault soft",
            "generated in the HSM, never extractable",
            "Evidence package",
            "manifest.json",
            "statements/dc4.json",
            "Checkpoint",
            "Verify it yourself");
    assertFitsPhoneWidth();
    screenshot("epoch-2-phone");
    assertAllLinksResolve();

    String cmd = browser.findElement(By.id("verify-cmd")).getText().strip();
    System.out.println("verify command on the page: " + cmd);
    assertThat(cmd)
        .startsWith("fleetvault evidence verify " + site + "epochs/2/evidence/ --bundle ");
    String[] words = cmd.split("\\s+");
    CliRun r = CliRun.run("", java.util.Arrays.copyOfRange(words, 1, words.length));
    System.out.println(r.out() + r.stderr());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains(
            "PASS download:",
            "PASS artifact evidence digest: the artifact (cer epoch 2) names this package",
            "PASS bundle log inclusion: log index 1",
            "PASS witness quorum",
            "VERIFIED:");
  }

  @Test
  void server_servesTheSiteWithANoScriptPolicyAndHidesTheBuildMarker() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(site + "index.html")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'none'");
    assertThat(r.body()).doesNotContain("<script");
    assertThat(status(site + ".fleetvault-transparency-site")).isEqualTo(404);
    assertThat(status(site + "epochs/")).as("no directory listing").isIn(200, 404);
    assertThat(status(signer.url() + "/transparency")).isEqualTo(302);
  }
}
