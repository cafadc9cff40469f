package dev.fleetvault.bundles.evidence;

import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The evidence package's manifest ({@value #PATH}): every other file of the package with its
 * SHA-256 and size, sorted by path. {@link #digest()} — SHA-256 of the canonical manifest — is the
 * fleet artifact's {@code evidence_digest}.
 *
 * @param files the files, sorted by path, no duplicates
 */
public record EvidenceManifest(List<FileEntry> files) {
  /** The manifest's own path in a package. */
  public static final String PATH = "manifest.json";

  /** Format name. */
  public static final String FORMAT = "fleetvault.evidence_manifest.v1";

  /**
   * One file: relative path ({@code [A-Za-z0-9._/-]}, no {@code ..}, no leading /), SHA-256, size.
   */
  public record FileEntry(String path, byte[] sha256, long size) {
    /** Validates and copies. */
    public FileEntry {
      checkPath(path);
      if (sha256.length != 32 || size < 0) {
        throw new FormatException("manifest entry " + path + ": bad sha256 or size");
      }
      sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
      return sha256.clone();
    }
  }

  /** Validates order and copies. */
  public EvidenceManifest {
    files = List.copyOf(files);
    for (int i = 1; i < files.size(); i++) {
      if (files.get(i - 1).path().compareTo(files.get(i).path()) >= 0) {
        throw new FormatException("manifest: files must be sorted by path with no duplicates");
      }
    }
    for (FileEntry f : files) {
      if (f.path().equals(PATH)) {
        throw new FormatException("manifest: must not list itself");
      }
    }
  }

  /** A path allowed in a package. */
  public static void checkPath(String path) {
    if (path == null
        || path.isEmpty()
        || path.length() > 200
        || path.startsWith("/")
        || path.endsWith("/")
        || !path.matches("[A-Za-z0-9._/-]+")
        || List.of(path.split("/")).contains("..")
        || List.of(path.split("/")).contains(".")
        || path.contains("//")) {
      throw new FormatException("evidence path not allowed: " + path);
    }
  }

  /** The manifest of these files (path → bytes); {@value #PATH} itself is left out. */
  public static EvidenceManifest of(Map<String, byte[]> files) {
    List<FileEntry> l = new ArrayList<>();
    new TreeMap<>(files)
        .forEach(
            (p, b) -> {
              if (!p.equals(PATH)) {
                l.add(new FileEntry(p, Crypto.sha256(b), b.length));
              }
            });
    return new EvidenceManifest(l);
  }

  /** Canonical JSON. */
  public byte[] toCanonicalJson() {
    List<Object> l = new ArrayList<>();
    for (FileEntry f : files) {
      Map<String, Object> m = new TreeMap<>();
      m.put("path", f.path());
      m.put("sha256", Codec.hex(f.sha256()));
      m.put("size", f.size());
      l.add(m);
    }
    Map<String, Object> m = new TreeMap<>();
    m.put("format", FORMAT);
    m.put("files", l);
    return CanonicalJson.encode(m);
  }

  /** SHA-256 of the canonical manifest: the evidence digest. */
  public byte[] digest() {
    return Crypto.sha256(toCanonicalJson());
  }

  /** Parses a canonical manifest. */
  public static EvidenceManifest parse(byte[] json) {
    JsonMap m = CanonicalJson.parseCanonicalObject(json);
    m.requireExactly("format", "files");
    if (!FORMAT.equals(m.string("format"))) {
      throw new FormatException("manifest: format must be " + FORMAT);
    }
    List<FileEntry> l = new ArrayList<>();
    for (Object o : m.list("files")) {
      JsonMap f = JsonMap.of(o, "manifest file");
      f.requireExactly("path", "sha256", "size");
      l.add(new FileEntry(f.string("path"), f.hex("sha256", 32), f.nonNegative("size")));
    }
    return new EvidenceManifest(l);
  }
}
