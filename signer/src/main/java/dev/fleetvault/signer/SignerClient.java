package dev.fleetvault.signer;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;
import dev.fleetvault.bundles.tlog.MerkleProofs;
import dev.fleetvault.bundles.tlog.NoteKey;
import dev.fleetvault.bundles.tlog.TilePath;
import dev.fleetvault.signer.impl.Wire;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Blocking HTTP client for the signer API, for the operator ({@link #publish}, {@link #attach}),
 * gateways ({@link #envelope}) and auditors (everything else). Nothing it returns is trusted:
 * callers verify (see {@code BundleVerifier}, {@code LogAuditor}). Every call has a timeout.
 */
public final class SignerClient {
  private final URI base;
  private final HttpClient http;
  private final Duration timeout;

  /** A client for a signer base URL such as {@code http://127.0.0.1:37100}. */
  public SignerClient(URI base) {
    this(base, Duration.ofSeconds(10));
  }

  /** A client with a per-request timeout. */
  public SignerClient(URI base, Duration timeout) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** A refusal or failure from the signer. */
  public static final class SignerClientException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String error;

    SignerClientException(int status, String error, String message) {
      super(message);
      this.status = status;
      this.error = error;
    }

    /** HTTP status. */
    public int status() {
      return status;
    }

    /** The signer's reason name, e.g. {@code EPOCH_NOT_INCREASING}. */
    public String error() {
      return error;
    }
  }

  /**
   * The signer's public identity.
   *
   * @param noteKey signer key (vkey; name = log origin)
   * @param operatorKey operator key the signer checks
   * @param namespaces namespaces
   * @param treeSize current size
   */
  public record Info(
      NoteKey noteKey, ECPublicKey operatorKey, List<String> namespaces, long treeSize) {}

  /** {@code GET /info}. */
  public Info info() throws IOException {
    JsonMap m = json(get("/info"));
    List<String> ns = new ArrayList<>();
    for (Object o : m.list("namespaces")) {
      ns.add((String) o);
    }
    return new Info(
        NoteKey.parseVkey(m.string("vkey")),
        dev.fleetvault.bundles.crypto.Crypto.p256FromSpki(m.base64("operator_public_key", -1)),
        ns,
        m.nonNegative("tree_size"));
  }

  /**
   * Publishes {@code {namespace, epoch, digest}}, authenticated by the operator key.
   *
   * @param operatorSigner signs {@code "fleetvault/publish/v1\n" || body} with the operator's P-256
   *     key (DER)
   */
  public SignerService.Entry publish(
      String namespace, long epoch, byte[] digest, Function<byte[], byte[]> operatorSigner)
      throws IOException {
    Map<String, Object> m = new TreeMap<>();
    m.put("namespace", namespace);
    m.put("epoch", epoch);
    m.put("digest", Codec.hex(digest));
    byte[] body = CanonicalJson.encode(m);
    byte[] auth = operatorSigner.apply(SignerService.publishAuthMessage(body));
    HttpRequest req =
        HttpRequest.newBuilder(uri("/namespaces/" + enc(namespace) + "/audits"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header(SignerServer.AUTH_HEADER, Base64.getEncoder().encodeToString(auth))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return parse(() -> Wire.parseEntry(send(req)).entry());
  }

  /** Attaches the artifact and the operator's counter-signature to a logged epoch. */
  public void attach(String namespace, long epoch, byte[] artifact, byte[] operatorSignature)
      throws IOException {
    Map<String, Object> m = new TreeMap<>();
    m.put("artifact", Codec.b64(artifact));
    m.put("operator_signature", Codec.b64(operatorSignature));
    HttpRequest req =
        HttpRequest.newBuilder(
                uri("/namespaces/" + enc(namespace) + "/audits/" + epoch + "/attachment"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(CanonicalJson.encode(m)))
            .build();
    send(req);
  }

  /** {@code GET /checkpoint}: the latest signed checkpoint note. */
  public String checkpoint() throws IOException {
    return new String(get("/checkpoint"), StandardCharsets.UTF_8);
  }

  /** {@code GET /checkpoints/:size}. */
  public String checkpoint(long treeSize) throws IOException {
    return new String(get("/checkpoints/" + treeSize), StandardCharsets.UTF_8);
  }

  /** The entry at an index with its attachment (null if none). */
  public SignerService.Logged entry(long index) throws IOException {
    return parse(() -> Wire.parseEntry(get("/entries/" + index)));
  }

  /** The logged entry for a namespace epoch. */
  public SignerService.Entry audit(String namespace, long epoch) throws IOException {
    return parse(
        () -> Wire.parseEntry(get("/namespaces/" + enc(namespace) + "/audits/" + epoch)).entry());
  }

  /** Epochs published in a namespace. */
  public List<Long> epochs(String namespace) throws IOException {
    JsonMap m = json(get("/namespaces/" + enc(namespace)));
    List<Long> out = new ArrayList<>();
    for (Object o : m.list("epochs")) {
      out.add((Long) o);
    }
    return out;
  }

  /** The latest bundle of a namespace, proven against the latest checkpoint. */
  public Bundle bundle(String namespace) throws IOException {
    return parse(() -> Bundle.parse(get("/namespaces/" + enc(namespace) + "/bundle")));
  }

  /** The bundle of a given epoch. */
  public Bundle bundle(String namespace, long epoch) throws IOException {
    return parse(() -> Bundle.parse(get("/namespaces/" + enc(namespace) + "/bundles/" + epoch)));
  }

  /** The raw over-the-air envelope bytes for a client that last saw tree size {@code from}. */
  public byte[] envelope(String namespace, long from) throws IOException {
    byte[] b = get("/namespaces/" + enc(namespace) + "/envelope?from=" + from);
    parse(() -> BundleEnvelope.parse(b));
    return b;
  }

  /** RFC 9162 inclusion proof. */
  public List<byte[]> inclusionProof(long index, long treeSize) throws IOException {
    return hashes(get("/proof/inclusion?index=" + index + "&tree_size=" + treeSize));
  }

  /** RFC 9162 consistency proof. */
  public List<byte[]> consistencyProof(long first, long second) throws IOException {
    return hashes(get("/proof/consistency?first=" + first + "&second=" + second));
  }

  /** A C2SP tile. */
  public byte[] tile(TilePath t) throws IOException {
    return get("/" + t.format());
  }

  /** Submits a witness cosignature line for a tree size. */
  public void cosign(long treeSize, String line) throws IOException {
    HttpRequest req =
        HttpRequest.newBuilder(uri("/witness/cosignature?tree_size=" + treeSize))
            .timeout(timeout)
            .header("Content-Type", "text/plain; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(line, StandardCharsets.UTF_8))
            .build();
    send(req);
  }

  private List<byte[]> hashes(byte[] json) throws IOException {
    return parse(
        () ->
            CanonicalJson.parseObject(json)
                .base64List("hashes", 32, MerkleProofs.MAX_PROOF_HASHES));
  }

  private interface Parse<T> {
    T get() throws IOException;
  }

  private static <T> T parse(Parse<T> p) throws IOException {
    try {
      return p.get();
    } catch (FormatException e) {
      throw new IOException("malformed signer response: " + e.getMessage(), e);
    }
  }

  private JsonMap json(byte[] b) throws IOException {
    return parse(() -> CanonicalJson.parseObject(b));
  }

  private byte[] get(String path) throws IOException {
    return send(HttpRequest.newBuilder(uri(path)).timeout(timeout).GET().build());
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private byte[] send(HttpRequest req) throws IOException {
    HttpResponse<byte[]> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (r.statusCode() / 100 != 2) {
      String error = "HTTP_" + r.statusCode();
      String msg = new String(r.body(), StandardCharsets.UTF_8);
      try {
        JsonMap m = CanonicalJson.parseObject(r.body());
        error = m.string("error");
        msg = m.string("message");
      } catch (RuntimeException ignored) {
        // not our error shape
      }
      throw new SignerClientException(
          r.statusCode(),
          error,
          req.method()
              + " "
              + req.uri().getPath()
              + ": "
              + r.statusCode()
              + " "
              + error
              + ": "
              + msg);
    }
    return r.body();
  }
}
