package dev.fleetvault.gateway.edge;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the validation bundle (a signed {@code BundleEnvelope}, canonical JSON, as published by
 * the operator) from a file, on every answer, re-read when the file changes. The client verifies
 * it; the node only carries it. A missing or oversized file serves nothing and is logged once per
 * change.
 */
public final class FileBundleSource implements BundleSource {
  /** The largest bundle carried (protocol WireLimits.MAX_VALIDATION_BUNDLE). */
  public static final int MAX_BYTES = dev.fleetvault.protocol.wire.WireLimits.MAX_VALIDATION_BUNDLE;

  private static final Logger LOG = LoggerFactory.getLogger(FileBundleSource.class);
  private final Path file;
  private FileTime seen;
  private long seenSize = -1;
  private ByteString bytes = ByteString.EMPTY;

  /**
   * @param file the envelope file
   */
  public FileBundleSource(Path file) {
    this.file = file;
  }

  @Override
  public synchronized ByteString bundleFor(long knownEpoch) {
    try {
      FileTime t = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      if (!t.equals(seen) || size != seenSize) {
        seen = t;
        seenSize = size;
        if (size > MAX_BYTES) {
          LOG.error(
              "validation bundle {} is {} bytes, more than {}; not served", file, size, MAX_BYTES);
          bytes = ByteString.EMPTY;
        } else {
          bytes = ByteString.copyFrom(Files.readAllBytes(file));
          LOG.info("serving validation bundle {} ({} bytes)", file, size);
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      if (seenSize != -2) {
        LOG.info("no validation bundle at {} yet; none served until it exists", file);
      }
      seenSize = -2;
      seen = null;
      bytes = ByteString.EMPTY;
    } catch (IOException e) {
      if (seenSize != -2) {
        LOG.warn("validation bundle {} unreadable: {}", file, e.toString());
      }
      seenSize = -2;
      seen = null;
      bytes = ByteString.EMPTY;
    }
    return bytes;
  }
}
