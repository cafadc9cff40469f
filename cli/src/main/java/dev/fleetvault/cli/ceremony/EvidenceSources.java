package dev.fleetvault.cli.ceremony;

import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.evidence.EvidenceManifest;
import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where {@code evidence verify} reads its inputs from: a local path or an {@code http(s)} URL.
 * Downloads are bounded exactly like directory reads ({@link EvidenceFiles#MAX_FILE} per file,
 * {@link EvidenceFiles#MAX_FILES} files, {@link EvidenceFiles#MAX_TOTAL} bytes), follow no
 * redirects, and only fetch what the package's manifest lists (paths checked by {@link
 * EvidenceManifest#checkPath}), so a hostile server cannot make the verifier read outside the
 * package or without end. What is downloaded is then verified exactly as a directory is.
 */
final class EvidenceSources {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private EvidenceSources() {}

  static boolean isUrl(String s) {
    return s.startsWith("https://") || s.startsWith("http://");
  }

  static URI uri(String s) {
    try {
      URI u = URI.create(s);
      if (u.getHost() == null || u.getRawUserInfo() != null || u.getRawFragment() != null) {
        throw new IllegalArgumentException("needs a host and no user info or fragment");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "bad URL " + s + ": " + e.getMessage());
    }
  }

  /** The bytes of a file or URL, at most {@link EvidenceFiles#MAX_FILE}. */
  static byte[] read(String pathOrUrl) {
    return isUrl(pathOrUrl)
        ? fetch(uri(pathOrUrl), EvidenceFiles.MAX_FILE, false)
        : EvidenceFiles.read(Path.of(pathOrUrl));
  }

  /**
   * GETs {@code u} and returns its body, refusing more than {@code max} bytes.
   *
   * @param missingOk return null on 404 instead of failing
   */
  static byte[] fetch(URI u, long max, boolean missingOk) {
    HttpClient c =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpRequest r = HttpRequest.newBuilder(u).timeout(REQUEST_TIMEOUT).GET().build();
    try {
      HttpResponse<InputStream> resp = c.send(r, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = resp.body()) {
        if (resp.statusCode() == 404 && missingOk) {
          return null;
        }
        if (resp.statusCode() != 200) {
          throw new CliException(ExitCodes.FAILURE, u + ": HTTP " + resp.statusCode());
        }
        byte[] b = in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 8) + 1);
        if (b.length > max) {
          throw new CliException(ExitCodes.FAILURE, u + ": larger than " + max + " bytes; refused");
        }
        return b;
      }
    } catch (IOException e) {
      throw new CliException(ExitCodes.UNAVAILABLE, "cannot fetch " + u + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.UNAVAILABLE, "interrupted while fetching " + u);
    }
  }

  /**
   * Downloads a published evidence package: {@code <base>/manifest.json}, then every file it lists.
   * A listed file the server does not have (404) is left out, so the verifier reports it missing; a
   * longer file than listed is cut one byte past its listed size, so the verifier reports the size
   * mismatch.
   */
  static Map<String, byte[]> fetchPackage(String base) {
    String b = base.endsWith("/") ? base : base + "/";
    URI root = uri(b);
    Map<String, byte[]> files = new TreeMap<>();
    byte[] manifestBytes =
        fetch(root.resolve(EvidenceManifest.PATH), EvidenceFiles.MAX_FILE, false);
    files.put(EvidenceManifest.PATH, manifestBytes);
    EvidenceManifest m;
    try {
      m = EvidenceManifest.parse(manifestBytes);
    } catch (FormatException e) {
      return files; // the verifier reports the malformed manifest
    }
    if (m.files().size() >= EvidenceFiles.MAX_FILES) {
      throw new CliException(
          ExitCodes.FAILURE,
          b + ": the manifest lists more than " + EvidenceFiles.MAX_FILES + " files");
    }
    long total = manifestBytes.length;
    for (EvidenceManifest.FileEntry f : m.files()) {
      if (f.size() > EvidenceFiles.MAX_FILE) {
        throw new CliException(
            ExitCodes.FAILURE,
            b
                + f.path()
                + ": listed as "
                + f.size()
                + " bytes, more than "
                + EvidenceFiles.MAX_FILE);
      }
      byte[] body = fetchAtMost(root.resolve(f.path()), f.size() + 1);
      if (body == null) {
        continue;
      }
      total += body.length;
      if (total > EvidenceFiles.MAX_TOTAL) {
        throw new CliException(
            ExitCodes.FAILURE, b + ": more than " + EvidenceFiles.MAX_TOTAL + " bytes");
      }
      files.put(f.path(), body);
    }
    return files;
  }

  /**
   * Like {@link #fetch} but returns at most {@code max} bytes (a longer body is cut, not refused).
   */
  private static byte[] fetchAtMost(URI u, long max) {
    HttpClient c =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    try {
      HttpResponse<InputStream> resp =
          c.send(
              HttpRequest.newBuilder(u).timeout(REQUEST_TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = resp.body()) {
        if (resp.statusCode() == 404) {
          return null;
        }
        if (resp.statusCode() != 200) {
          throw new CliException(ExitCodes.FAILURE, u + ": HTTP " + resp.statusCode());
        }
        return in.readNBytes((int) max);
      }
    } catch (IOException e) {
      throw new CliException(ExitCodes.UNAVAILABLE, "cannot fetch " + u + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.UNAVAILABLE, "interrupted while fetching " + u);
    }
  }

  /** A trust file from a path (resolved like the other commands' {@code --trust}) or a URL. */
  static TrustAnchors trust(String pathOrUrl) {
    byte[] b;
    if (isUrl(pathOrUrl)) {
      b = fetch(uri(pathOrUrl), EvidenceFiles.MAX_FILE, false);
    } else {
      Path p = Path.of(pathOrUrl);
      String home = System.getProperty("fleetvault.home");
      if (!p.isAbsolute() && !Files.exists(p) && home != null) {
        p = Path.of(home).resolve(p);
      }
      if (!Files.isRegularFile(p)) {
        throw new CliException(
            ExitCodes.USAGE,
            "no trust file "
                + p
                + ": --bundle needs the pinned signer and"
                + " operator keys; pass --trust FILE (written by `fleetvault up` or `fleetvault bundle trust`)");
      }
      b = EvidenceFiles.read(p);
    }
    try {
      return TrustAnchors.parse(b);
    } catch (FormatException e) {
      throw new CliException(
          ExitCodes.USAGE, "bad trust file " + pathOrUrl + ": " + e.getMessage());
    }
  }

  /** Parses {@code NAME=FILE_OR_URL} witness options into the raw public-key PEM bytes by name. */
  static Map<String, byte[]> namedKeys(java.util.List<String> specs) {
    Map<String, byte[]> out = new TreeMap<>();
    for (String s : specs == null ? java.util.List.<String>of() : specs) {
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1 || !s.substring(0, eq).matches("[A-Za-z0-9._-]{1,64}")) {
        throw new CliException(
            ExitCodes.USAGE, "--witness wants NAME=FILE (name of [A-Za-z0-9._-]), got '" + s + "'");
      }
      String name = s.substring(0, eq);
      if (out.containsKey(name)) {
        throw new CliException(ExitCodes.USAGE, "--witness: witness '" + name + "' given twice");
      }
      out.put(name, read(s.substring(eq + 1)));
    }
    return out;
  }
}
