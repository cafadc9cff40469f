package dev.fleetvault.quorum;

import java.util.concurrent.CompletionStage;

/**
 * Signs ledger commands with a member's command key; the gateway supplies one backed by the
 * member's HSM (through the driver SPI), tests use a software key.
 *
 * <p>Contract: returns an ECDSA P-256 signature over {@code canonicalBytes} with SHA-256, ASN.1 DER
 * encoded ({@code SHA256withECDSA}), made by the private key matching this member's {@link
 * QuorumMember#commandKey()}. Must not block the calling thread for long (run HSM calls on a worker
 * pool). A failed stage means nothing is sent.
 */
@FunctionalInterface
public interface CommandSigner {
  /** Signs {@code canonicalBytes} (the exact bytes of {@link LedgerCommand#canonicalBytes()}). */
  CompletionStage<byte[]> sign(byte[] canonicalBytes);
}
