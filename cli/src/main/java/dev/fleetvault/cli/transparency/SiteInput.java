package dev.fleetvault.cli.transparency;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.TrustAnchors;
import java.util.List;
import java.util.Map;

/**
 * Everything a transparency site is built from.
 *
 * @param trust the pinned signer and operator keys the site names (and publishes as {@code
 *     trust.json})
 * @param checkpoint the signer's latest checkpoint (signed note text)
 * @param witnesses ceremony witnesses' public keys (SPKI PEM bytes) by name, published under {@code
 *     witnesses/}
 * @param epochs every published epoch, oldest first
 * @param baseUrl the URL the site will be served at (ending in {@code /}), used in the printed
 *     commands; null prints paths relative to the site's directory
 */
record SiteInput(
    TrustAnchors trust,
    String checkpoint,
    Map<String, byte[]> witnesses,
    List<Epoch> epochs,
    String baseUrl) {
  /**
   * One published epoch.
   *
   * @param bundle its validation bundle (from the signer's log)
   * @param evidence its evidence package by relative path (including {@code manifest.json}), empty
   *     if none was found
   */
  record Epoch(Bundle bundle, Map<String, byte[]> evidence) {}
}
