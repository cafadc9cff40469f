package dev.fleetvault.protocol.flow;

/**
 * The protocol test JVM has no quorum module, so the tests claim the class loader's only {@link
 * CommitWitness.Mint} here, once, and play the ledger themselves ({@link InMemoryFleet}).
 */
final class TestWitnesses {
  static final CommitWitness.Mint MINT = CommitWitness.claimMint();

  private TestWitnesses() {}

  static CommitWitness witness(
      CommitWitness.Kind kind,
      int member,
      String key,
      long version,
      byte[] digest,
      long generation,
      byte[] attemptId,
      int remaining,
      boolean lastGuess) {
    return MINT.witness(
        kind, member, key, version, digest, generation, attemptId, remaining, lastGuess, 1);
  }
}
