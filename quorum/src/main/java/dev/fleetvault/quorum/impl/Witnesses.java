package dev.fleetvault.quorum.impl;

import dev.fleetvault.protocol.flow.CommitWitness;

/**
 * Holder of the class loader's only {@link CommitWitness.Mint}, claimed in this class's static
 * initialiser.
 *
 * <p>Guarantees: the mint is claimed once, the first time this class is initialised; creating a
 * quorum node ({@link DefaultQuorumNode#start}) forces that initialisation, so a node whose mint
 * was already claimed by other code fails to start (the {@link ExceptionInInitializerError} names
 * why). Only {@link DefaultMemberLedger} uses the mint, and only with the outcome this node's own
 * state machine computed for this member's own applied command.
 */
final class Witnesses {
  static final CommitWitness.Mint MINT = CommitWitness.claimMint();

  private Witnesses() {}

  /** Forces the static initialiser (and so the claim). */
  static void ensureClaimed() {
    if (MINT == null) throw new IllegalStateException("commit witness mint not claimed");
  }
}
