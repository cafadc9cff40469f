package dev.fleetvault.quorum;

/** The member commands the ledger accepts, with their wire codes. */
public enum CommandType {
  /**
   * Register (or re-register) a record version with a guess limit; joins (or creates) the
   * registration.
   */
  REGISTER(1),
  /**
   * Count one fleet-wide recovery attempt id (phase 1) on the registration, against this member's
   * limit.
   */
  ATTEMPT(2),
  /**
   * This member saw the counted attempt succeed (phase 2); {@code t} members' successes reset the
   * count.
   */
  SUCCEED(3),
  /** Delete the member's row and record. */
  DELETE(4);

  private final int code;

  CommandType(int code) {
    this.code = code;
  }

  /** Wire code. */
  public int code() {
    return code;
  }

  /** The type for a wire code, or null. */
  public static CommandType ofCode(int code) {
    for (CommandType t : values()) if (t.code == code) return t;
    return null;
  }
}
