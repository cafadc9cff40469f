package dev.fleetvault.client;

/** The outcome of a deletion. */
public sealed interface DeleteResult {
    /** A majority of members committed the deletion of the user's records. */
    record Deleted() implements DeleteResult {
    }

    /** There was nothing to delete. */
    record NotRegistered() implements DeleteResult {
    }

    /**
     * No majority committed the deletion. Deleting again is safe.
     *
     * @param reason what failed
     */
    record Unavailable(String reason) implements DeleteResult {
    }
}
