package dev.fleetvault.driver.kmip.ttlv;

/**
 * Bounds the decoder enforces before it allocates anything, so that a hostile peer can cause
 * neither unbounded memory use nor deep recursion.
 *
 * @param maxMessageBytes largest encoded message accepted (header included)
 * @param maxDepth deepest structure nesting accepted (the outermost item is depth 1)
 * @param maxItems most items (structures included) in one message
 */
public record TtlvLimits(int maxMessageBytes, int maxDepth, int maxItems) {

  /** Defaults suitable for KMIP responses to a key-vault driver: 1 MiB, depth 16, 10 000 items. */
  public static final TtlvLimits DEFAULT = new TtlvLimits(1 << 20, 16, 10_000);

  /** Validates the bounds. */
  public TtlvLimits {
    if (maxMessageBytes < 8 || maxDepth < 1 || maxItems < 1) {
      throw new IllegalArgumentException(
          "TTLV limits must be positive and allow at least one header");
    }
  }
}
