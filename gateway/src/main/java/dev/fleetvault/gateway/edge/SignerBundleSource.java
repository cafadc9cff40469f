package dev.fleetvault.gateway.edge;

import com.google.protobuf.ByteString;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.protocol.wire.WireLimits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the fleet's validation bundle as the independent signer hands it out: the envelope {@code
 * GET {signer}/namespaces/fleetvault.fleet_keys.v1/envelope?from=<knownTreeSize>} (latest bundle,
 * inclusion proof against the latest checkpoint, consistency proof from the client's last tree
 * size), carried verbatim. The node does not verify it (the client does); it only checks that the
 * bytes parse as an envelope whose consistency base is the size asked.
 *
 * <p><b>Guarantees.</b> {@link #bundleFor(long, long)} blocks (JDK HttpClient, bounded by {@code
 * timeout}): call it off the event loop; {@link #bundleFor(long)} never blocks. Envelopes are
 * cached per tree size until the signer's {@code /checkpoint} changes (polled at most every {@code
 * refresh}). When the signer is unreachable, refuses, or the client's size is beyond the log (the
 * signer answers 400), nothing is served: the client then refuses to seal (never an envelope from
 * another base, which would hide a rollback).
 */
public final class SignerBundleSource implements BundleSource {
  private static final Logger LOG = LoggerFactory.getLogger(SignerBundleSource.class);
  private static final int MAX_CACHED = 64;
  private final URI base;
  private final Duration timeout;
  private final long refreshNanos;
  private final HttpClient http;
  private final Map<Long, ByteString> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ByteString> eldest) {
          return size() > MAX_CACHED;
        }
      };
  private final Map<ByteString, long[]> facts =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteString, long[]> eldest) {
          return size() > MAX_CACHED;
        }
      };
  private byte[] checkpoint;
  private long checkedAt;
  private boolean failing;
  private volatile ByteString fromZero = ByteString.EMPTY;

  /**
   * @param signer the signer's base URL (e.g. {@code http://127.0.0.1:37100})
   * @param timeout per HTTP call
   * @param refresh how often the signer's checkpoint is re-read
   */
  public SignerBundleSource(URI signer, Duration timeout, Duration refresh) {
    String s = signer.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.timeout = timeout;
    this.refreshNanos = refresh.toNanos();
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.checkedAt = System.nanoTime() - refreshNanos - 1;
  }

  /** With a 3-second timeout and a 2-second refresh. */
  public SignerBundleSource(URI signer) {
    this(signer, Duration.ofSeconds(3), Duration.ofSeconds(2));
  }

  /** The deadline of each HTTP call to the signer (connect, and request to answer). */
  public Duration timeout() {
    return timeout;
  }

  /** The signer this source reads from. */
  public URI signer() {
    return base;
  }

  /**
   * Without a tree size (callers that cannot block and know no size): the last envelope fetched
   * from tree size 0, without any I/O or locking; empty until one was fetched. The edge's answers
   * use {@link #bundleFor(long, long)} (off the event loop) instead.
   */
  @Override
  public ByteString bundleFor(long knownEpoch) {
    return fromZero;
  }

  @Override
  public boolean mayBlock() {
    return true;
  }

  /** Same epoch and a checkpoint of exactly the client's size (parsed once per envelope). */
  @Override
  public boolean isCurrent(ByteString envelope, long knownEpoch, long knownTreeSize) {
    if (envelope.isEmpty() || knownEpoch <= 0) {
      return false;
    }
    long[] facts;
    synchronized (this) {
      facts = this.facts.get(envelope);
    }
    if (facts == null) {
      try {
        BundleEnvelope env = BundleEnvelope.parse(envelope.toByteArray());
        long epoch = FleetArtifact.parse(env.bundle().artifact()).epoch();
        long size =
            dev.fleetvault.bundles.tlog.Checkpoint.fromNoteText(
                    dev.fleetvault.bundles.tlog.SignedNote.parse(env.bundle().checkpoint()).text())
                .treeSize();
        facts = new long[] {epoch, size};
      } catch (RuntimeException e) {
        return false;
      }
      synchronized (this) {
        this.facts.put(envelope, facts);
      }
    }
    return facts[0] == knownEpoch && facts[1] == knownTreeSize;
  }

  @Override
  public synchronized ByteString bundleFor(long knownEpoch, long knownTreeSize) {
    if (knownTreeSize < 0) {
      return ByteString.EMPTY;
    }
    try {
      refreshCheckpoint();
      ByteString cached = cache.get(knownTreeSize);
      if (cached != null) {
        return cached;
      }
      HttpResponse<byte[]> r =
          get("/namespaces/" + FleetArtifact.NAMESPACE + "/envelope?from=" + knownTreeSize);
      if (r.statusCode() != 200) {
        LOG.info(
            "signer {} has no envelope from tree size {} (HTTP {})",
            base,
            knownTreeSize,
            r.statusCode());
        return ByteString.EMPTY;
      }
      byte[] body = r.body();
      if (body.length > WireLimits.MAX_VALIDATION_BUNDLE) {
        LOG.error(
            "signer envelope is {} bytes, more than {}; not served",
            body.length,
            WireLimits.MAX_VALIDATION_BUNDLE);
        return ByteString.EMPTY;
      }
      BundleEnvelope env = BundleEnvelope.parse(body);
      if (env.consistencyFrom() != knownTreeSize) {
        LOG.error(
            "signer answered an envelope from {} for from={}; not served",
            env.consistencyFrom(),
            knownTreeSize);
        return ByteString.EMPTY;
      }
      ByteString bytes = ByteString.copyFrom(body);
      cache.put(knownTreeSize, bytes);
      if (knownTreeSize == 0) {
        fromZero = bytes;
      }
      if (failing) {
        LOG.info("signer {} answers again", base);
        failing = false;
      }
      return bytes;
    } catch (IOException | FormatException e) {
      if (!failing) {
        LOG.warn(
            "validation bundle unavailable from signer {}: {}",
            base,
            e instanceof java.net.http.HttpTimeoutException
                ? "no answer within " + timeout.toMillis() + " ms (" + e.getMessage() + ")"
                : e.toString());
        failing = true;
      }
      return ByteString.EMPTY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ByteString.EMPTY;
    }
  }

  private void refreshCheckpoint() throws IOException, InterruptedException {
    long now = System.nanoTime();
    if (now - checkedAt < refreshNanos) {
      return;
    }
    HttpResponse<byte[]> r = get("/checkpoint");
    if (r.statusCode() != 200) {
      throw new IOException("GET /checkpoint answered HTTP " + r.statusCode());
    }
    checkedAt = now;
    if (checkpoint == null || !MessageDigest.isEqual(checkpoint, r.body())) {
      checkpoint = r.body();
      cache.clear();
    }
  }

  /** Forgets the cached envelopes and re-reads the checkpoint on the next call. */
  public synchronized void invalidate() {
    cache.clear();
    checkedAt = System.nanoTime() - refreshNanos - 1;
  }

  private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Override
  public String toString() {
    return "SignerBundleSource[" + base + "]";
  }
}
