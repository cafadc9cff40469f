package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.wire.MemberRecord;
import dev.fleetvault.protocol.wire.MemberResponse;
import java.util.Objects;

/** What the gateway must do with a register2 request (see {@link MemberLogic#register2}). */
public sealed interface Register2Step permits Register2Step.Store, Register2Step.Reply {

  /**
   * Effects, in order: HSM-seal {@code recordBytes} with associated data {@code sealAad}; put the
   * blob into the record store at ({@code ledgerKey}, version, member) if absent; commit {@code
   * register(ledgerKey, version, recordDigest, guessLimit)}; then answer with {@link
   * MemberLogic#register2Committed} (or {@link MemberLogic#register2Stale} if the ledger refused
   * the version). The policy was checked: nothing here needs re-checking.
   */
  record Store(
      MemberRecord record,
      byte[] recordBytes,
      byte[] recordDigest,
      long version,
      int guessLimit,
      String ledgerKey,
      byte[] sealAad)
      implements Register2Step {
    public Store {
      Objects.requireNonNull(record, "record");
      recordBytes = Objects.requireNonNull(recordBytes, "recordBytes").clone();
      recordDigest = Objects.requireNonNull(recordDigest, "recordDigest").clone();
      Objects.requireNonNull(ledgerKey, "ledgerKey");
      sealAad = Objects.requireNonNull(sealAad, "sealAad").clone();
    }

    @Override
    public byte[] recordBytes() {
      return recordBytes.clone();
    }

    @Override
    public byte[] recordDigest() {
      return recordDigest.clone();
    }

    @Override
    public byte[] sealAad() {
      return sealAad.clone();
    }

    @Override
    public String toString() {
      return "Store[version=" + version + ", guessLimit=" + guessLimit + "]";
    }
  }

  /**
   * Effect: send this answer; commit nothing (the version is not above the current one, or an exact
   * retry).
   */
  record Reply(MemberResponse response) implements Register2Step {
    public Reply {
      Objects.requireNonNull(response, "response");
    }
  }
}
