package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.wire.MemberRecord;
import dev.fleetvault.protocol.wire.MemberResponse;
import java.util.Objects;

/** What the gateway must do with a register2 request (see {@link MemberLogic#register2}). */
public sealed interface Register2Step permits Register2Step.Store, Register2Step.Reply {

  /**
   * Seal {@code recordBytes} with the HSM, put the blob into the record store at
   * (user, version, member), commit {@code register(user, version, recordDigest, guessLimit)}
   * through the ledger, then answer with {@link MemberLogic#register2Committed} (or
   * {@link MemberLogic#register2Stale} if the ledger refused the version).
   */
  record Store(MemberRecord record, byte[] recordBytes, byte[] recordDigest, long version, int guessLimit)
      implements Register2Step {
    public Store {
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(recordBytes, "recordBytes");
      Objects.requireNonNull(recordDigest, "recordDigest");
    }

    @Override
    public String toString() {
      return "Store[version=" + version + ", guessLimit=" + guessLimit + "]";
    }
  }

  /** Send this answer; commit nothing (e.g. the version is not above the current one). */
  record Reply(MemberResponse response) implements Register2Step {
    public Reply {
      Objects.requireNonNull(response, "response");
    }
  }
}
