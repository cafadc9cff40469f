package dev.fleetvault.cli.impl;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.cli.transparency.SiteBuilder;
import dev.fleetvault.gateway.FleetDirectory;
import dev.fleetvault.gateway.LocalFleet;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.edge.SignerBundleSource;
import dev.fleetvault.signer.LocalSigner;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The local fleet's validation bundles (DEVELOPMENT ONLY): a {@link LocalSigner} under {@code
 * <data_root>/fleet/signer}, the fleet's artifact published from the members' public keys (a new
 * epoch only when they changed), the nodes serving the signer's over-the-air envelope, and the
 * trust file (the two pinned keys) at {@code <data_root>/fleet/trust.json}, which the CLI's
 * connecting commands use by default.
 *
 * <p>Member index {@code i} of the realm is the member's position in the artifact (sorted by id),
 * so the configuration's member order must be sorted by id; start refuses otherwise.
 */
public final class LocalBundles implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalBundles.class);

  /** The trust file name under the fleet directory. */
  public static final String TRUST_FILE = "trust.json";

  /** The development soft-HSM passphrase next to the configuration. */
  public static final String DEV_PASSPHRASE = "dev-soft-hsm-passphrase.DEVELOPMENT-ONLY.txt";

  /**
   * The nodes' deadline for each call to the local signer (checkpoint, envelope). The signer shares
   * the machine with the whole fleet (and, under {@code fleetvault bench}, the load generator), so
   * this is generous; an envelope not fetched in time is simply not served with that answer.
   */
  public static final Duration SIGNER_TIMEOUT = Duration.ofSeconds(20);

  /** How long each published artifact is valid. */
  public static final Duration VALID_FOR = Duration.ofDays(30);

  private final NodeConfig config;
  private final LocalFleet fleet;
  private final Vertx vertx;
  private final LocalSigner signer;
  private final SignerBundleSource source;
  private final Path trustFile;

  private LocalBundles(
      NodeConfig config, LocalFleet fleet, Vertx vertx, LocalSigner signer, Path trustFile) {
    this.config = config;
    this.fleet = fleet;
    this.vertx = vertx;
    this.signer = signer;
    this.trustFile = trustFile;
    this.source = new SignerBundleSource(signer.url(), SIGNER_TIMEOUT, Duration.ofSeconds(1));
  }

  /**
   * Starts the signer, publishes the fleet's bundle if it changed, makes every node serve it and
   * writes the trust file.
   *
   * @param port the signer's port on 127.0.0.1 (0 = any)
   */
  public static LocalBundles start(NodeConfig config, LocalFleet fleet, int port) throws Exception {
    return start(
        config, fleet, port, config.source().toAbsolutePath().getParent().resolve(DEV_PASSPHRASE));
  }

  /**
   * As {@link #start(NodeConfig, LocalFleet, int)} with the signer's and operator's soft-HSM
   * passphrase in {@code passphrase}.
   */
  public static LocalBundles start(NodeConfig config, LocalFleet fleet, int port, Path passphrase)
      throws Exception {
    List<String> ids = new ArrayList<>();
    for (MemberSpec m : config.members()) {
      ids.add(m.id());
    }
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(null);
    if (!ids.equals(sorted)) {
      throw new IllegalArgumentException(
          "the fleet's members must be listed sorted by id (member index = position "
              + "in the bundle): "
              + ids);
    }
    Vertx vertx = Vertx.vertx();
    LocalSigner signer;
    try {
      signer = LocalSigner.start(vertx, config.fleetDir().resolve("signer"), passphrase, port);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
    LocalBundles b =
        new LocalBundles(config, fleet, vertx, signer, ClientFactory.trustFile(config));
    try {
      b.publish();
      fleet.serveBundles(b.source);
      Path tmp = b.trustFile.resolveSibling(TRUST_FILE + ".tmp");
      Files.copy(signer.trustFile(), tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          tmp, b.trustFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (Exception e) {
      b.close();
      throw e;
    }
    return b;
  }

  /**
   * Publishes the members' current keys as a new epoch if they changed; returns the latest bundle.
   */
  public Bundle publish() throws IOException {
    FleetDirectory dir = new FleetDirectory(config.fleetDir());
    List<FleetMember> members = new ArrayList<>();
    for (MemberSpec m : config.members()) {
      FleetDirectory.Entry e =
          dir.read(m.id())
              .orElseThrow(
                  () ->
                      new IOException(
                          "member "
                              + m.id()
                              + " has not published its keys to "
                              + config.fleetDir()));
      members.add(FleetMember.of(m.id(), m.dataCenter(), e.hpkePublic(), e.signingPublic()));
    }
    Bundle b = signer.publishIfChanged(config.fleetId(), config.threshold(), members, VALID_FOR);
    buildTransparencySite();
    source.invalidate();
    // Warms the envelope the fan-out answers carry; the fleet is useless to clients without it.
    if (source.bundleFor(b.message().epoch(), 0).isEmpty()) {
      throw new IOException(
          "the local signer at "
              + signer.url()
              + " gave no envelope of epoch "
              + b.message().epoch()
              + " within "
              + SIGNER_TIMEOUT.toSeconds()
              + " s (the log line above says why)");
    }
    return b;
  }

  /**
   * Rebuilds the local transparency site (every epoch, no evidence: the development fleet has none)
   * in the signer's {@code transparency/} directory, which the signer serves at {@link
   * #transparencyUrl()}. A failure is logged, not thrown: the site is a view of the log, not part
   * of the fleet.
   */
  private void buildTransparencySite() {
    try {
      SiteBuilder.buildFromSigner(
          signer.url(),
          signer.trust(),
          Map.of(),
          Map.of(),
          transparencyUrl().toString(),
          config.fleetDir().resolve("signer").resolve(LocalSigner.TRANSPARENCY_DIR));
    } catch (IOException | RuntimeException e) {
      LOG.warn("the local transparency site was not rebuilt: {}", e.getMessage());
    }
  }

  /** Where the signer serves the local transparency site. */
  public URI transparencyUrl() {
    return URI.create(signer.url() + "/transparency/");
  }

  /**
   * Fleet rotation: every member generates a new HPKE key in its HSM (the old one still opens
   * in-flight sessions), then the new epoch is published; clients pick it up at their next session,
   * with no update.
   *
   * @return the new epoch's bundle
   */
  public Bundle rotate() throws Exception {
    fleet.rotateHpkeKeys();
    return publish();
  }

  /** The epoch of the latest published bundle. */
  public long epoch() throws IOException {
    try {
      List<Long> eps = signer.server().service().epochs(FleetArtifact.NAMESPACE);
      return eps.isEmpty() ? 0 : eps.get(eps.size() - 1);
    } catch (dev.fleetvault.signer.SignerException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The signer's base URL. */
  public URI signerUrl() {
    return signer.url();
  }

  /** The trust file the CLI uses by default. */
  public Path trustFile() {
    return trustFile;
  }

  /** The local signer. */
  public LocalSigner signer() {
    return signer;
  }

  @Override
  public void close() throws Exception {
    try {
      signer.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
