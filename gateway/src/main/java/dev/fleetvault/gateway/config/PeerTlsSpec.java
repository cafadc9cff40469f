package dev.fleetvault.gateway.config;

import java.nio.file.Path;

/**
 * Mutual TLS for the internal {@code Member} service.
 *
 * @param generate true: development PKI, a fleet CA and per-member certificates generated into the
 *     fleet directory on first start; false: the three PEM files below
 * @param caCert PEM CA certificate(s) that peer certificates must chain to (files mode)
 * @param cert this node's PEM certificate chain (files mode)
 * @param key this node's PEM PKCS#8 private key (files mode)
 */
public record PeerTlsSpec(boolean generate, Path caCert, Path cert, Path key) {
  /** Development PKI, generated into the fleet directory. */
  public static final PeerTlsSpec GENERATED = new PeerTlsSpec(true, null, null, null);
}
