package dev.fleetvault.client.impl;

import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.BlockingFleetvaultClient;
import dev.fleetvault.client.DeleteResult;
import dev.fleetvault.client.FleetStatus;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.FleetvaultException;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import io.vertx.core.Context;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Blocking view of a {@link FleetvaultClient}: waits for each stage and rethrows its failure
 * unwrapped.
 */
final class BlockingView implements BlockingFleetvaultClient {
  private final FleetvaultClient client;

  BlockingView(FleetvaultClient client) {
    this.client = client;
  }

  @Override
  public RegisterResult register(String user, Pin pin, BackupSecret secret, int guessLimit) {
    return await(client.register(user, pin, secret, guessLimit));
  }

  @Override
  public RecoverResult recover(String user, Pin pin) {
    return await(client.recover(user, pin));
  }

  @Override
  public DeleteResult delete(String user) {
    return await(client.delete(user));
  }

  @Override
  public RegisterResult registerPasskey(
      String user,
      dev.fleetvault.client.passkey.Authenticator authenticator,
      BackupSecret secret,
      int guessLimit) {
    return await(client.registerPasskey(user, authenticator, secret, guessLimit));
  }

  @Override
  public RecoverResult recoverWithPasskey(
      String user, dev.fleetvault.client.passkey.Authenticator authenticator) {
    return await(client.recoverWithPasskey(user, authenticator));
  }

  @Override
  public RegisterResult addPasskey(
      String user,
      Pin pin,
      dev.fleetvault.client.passkey.Authenticator authenticator,
      int guessLimit) {
    return await(client.addPasskey(user, pin, authenticator, guessLimit));
  }

  @Override
  public DeleteResult removePasskey(String user) {
    return await(client.removePasskey(user));
  }

  @Override
  public FleetStatus status() {
    return await(client.status());
  }

  private static <T> T await(CompletionStage<T> stage) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "the blocking client must not be used on a Vert.x event-loop thread");
    }
    try {
      return stage.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FleetvaultException(
          FleetvaultException.Code.INTERNAL, "interrupted while waiting for the fleet", e);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw DefaultFleetvaultClient.toPublic(cause);
    }
  }
}
