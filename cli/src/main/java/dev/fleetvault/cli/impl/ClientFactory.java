package dev.fleetvault.cli.impl;

import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ConnectOptions;
import dev.fleetvault.cli.ExitCodes;
import dev.fleetvault.client.FleetvaultClient;

/** Opens a {@link FleetvaultClient} for a CLI command from its {@link ConnectOptions}. */
public final class ClientFactory {
    private ClientFactory() {
    }

    /** Opens a client; the caller closes it. */
    public static FleetvaultClient open(ConnectOptions options) {
        throw new CliException(ExitCodes.FAILURE, "the client SDK transport is not wired yet");
    }
}
