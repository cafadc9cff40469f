package dev.fleetvault.quorum;

/** The member commands the ledger accepts, with their wire codes. */
public enum CommandType {
    /** Register (or re-register) a record version with a guess limit; resets the attempt counter. */
    REGISTER(1),
    /** Count one recovery attempt (phase 1) against the limit. */
    ATTEMPT(2),
    /** The latest counted attempt succeeded (phase 2): counter back to zero. */
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
