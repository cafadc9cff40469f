package dev.fleetvault.systest.campaign;

import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.FleetvaultException;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Client load through the SDK from the test JVM: a few workers, each owning its users (so one
 * user's operations are sequential), mixing new registrations, re-registrations (a new secret
 * version), recoveries with the right PIN and with a wrong one. Every call is recorded in the
 * {@link History} with its outcome; a call not answered within the operation deadline is recorded
 * as {@link Op.Outcome#UNANSWERED} and the worker moves on.
 *
 * <p>A user never gets more than {@link #MAX_WRONG_IN_A_ROW} wrong guesses between two known
 * resets, far below {@link #GUESS_LIMIT}, so an honest fleet never answers "no guesses left" or
 * destroys a record.
 */
public final class LoadDriver {
  /** The guess limit every registration asks for. */
  public static final int GUESS_LIMIT = 10;

  static final int MAX_WRONG_IN_A_ROW = 3;
  private static final int USERS_PER_WORKER = 8;
  private static final Duration PAUSE = Duration.ofMillis(40);

  private final FleetvaultClient client;
  private final History history;
  private final Duration opDeadline;
  private final int workerCount;
  private final SecureRandom random = new SecureRandom();
  private final List<UserState> users = new ArrayList<>();
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running;

  /** One user's client-side state (owned by one worker). */
  static final class UserState {
    final String name;
    final String pin;
    final String wrongPin;
    final List<byte[]> secrets = new ArrayList<>();
    int wrongInARow;

    UserState(String name, String pin, String wrongPin) {
      this.name = name;
      this.pin = pin;
      this.wrongPin = wrongPin;
    }
  }

  /**
   * @param opDeadline how long one call may take before it counts as unanswered
   */
  public LoadDriver(FleetvaultClient client, History history, Duration opDeadline, int workers) {
    this.client = client;
    this.history = history;
    this.opDeadline = opDeadline;
    this.workerCount = workers;
  }

  /** Starts the workers; users of this run are named after {@code scenario}. */
  public synchronized void start(String scenario) {
    running = true;
    for (int w = 0; w < workerCount; w++) {
      int id = w;
      Thread t = new Thread(() -> work(scenario, id), "load-" + scenario + "-" + w);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
  }

  /** Stops the workers and waits for their current calls (bounded by the operation deadline). */
  public synchronized void stop() throws InterruptedException {
    running = false;
    for (Thread t : workers) {
      t.join(opDeadline.toMillis() + 5000);
      if (t.isAlive()) {
        throw new IllegalStateException(
            t.getName() + " did not stop within its operation deadline");
      }
    }
    workers.clear();
  }

  private void work(String scenario, int worker) {
    List<UserState> mine = new ArrayList<>();
    int next = 0;
    while (running) {
      UserState u;
      if (mine.isEmpty() || (mine.size() < USERS_PER_WORKER && random.nextInt(5) == 0)) {
        u = newUser(scenario + "-w" + worker + "-u" + next++);
        mine.add(u);
        register(scenario, u);
      } else {
        u = mine.get(random.nextInt(mine.size()));
        int dice = random.nextInt(100);
        if (dice < 10) {
          register(scenario, u);
        } else if (dice < 50 && u.wrongInARow < MAX_WRONG_IN_A_ROW) {
          recover(scenario, u, false);
        } else {
          recover(scenario, u, true);
        }
      }
      try {
        Thread.sleep(PAUSE.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private UserState newUser(String name) {
    String pin = String.format("%04d", random.nextInt(10_000));
    String wrong =
        String.format("%04d", (Integer.parseInt(pin) + 1 + random.nextInt(9_998)) % 10_000);
    UserState u = new UserState(name, pin, wrong);
    synchronized (users) {
      users.add(u);
    }
    return u;
  }

  /** The users of every run so far. */
  List<UserState> users() {
    synchronized (users) {
      return List.copyOf(users);
    }
  }

  /**
   * After a run: recovers every user of {@code scenario} that ever sent a registration with its
   * right PIN, retrying an unavailable or unanswered call until {@code bound} has passed; recorded
   * under {@code scenario}.
   */
  public void verify(String scenario, Duration bound) throws InterruptedException {
    long end = System.nanoTime() + bound.toNanos();
    for (UserState u : users()) {
      if (!u.name.startsWith(scenario + "-w") || u.secrets.isEmpty()) {
        continue;
      }
      Op op = recover(scenario, u, true);
      while (!op.outcome().acknowledged() && System.nanoTime() < end) {
        Thread.sleep(1000);
        op = recover(scenario, u, true);
      }
    }
  }

  /** Registers a new secret version of {@code u}; recorded. */
  Op register(String scenario, UserState u) {
    int version = u.secrets.size() + 1;
    byte[] rnd = new byte[12];
    random.nextBytes(rnd);
    byte[] secret =
        ("secret of " + u.name + " v" + version + " " + HexFormat.of().formatHex(rnd))
            .getBytes(StandardCharsets.UTF_8);
    u.secrets.add(secret);
    Pin pin = Pin.of(u.pin.toCharArray());
    BackupSecret s = BackupSecret.copyOf(secret);
    long t0 = System.nanoTime();
    Op.Outcome outcome;
    String detail = "";
    try {
      RegisterResult r =
          client
              .register(u.name, pin, s, GUESS_LIMIT)
              .toCompletableFuture()
              .get(opDeadline.toMillis(), TimeUnit.MILLISECONDS);
      if (r instanceof RegisterResult.Registered) {
        outcome = Op.Outcome.REGISTERED;
        u.wrongInARow = 0;
      } else {
        outcome = Op.Outcome.UNAVAILABLE;
        detail = ((RegisterResult.Unavailable) r).reason();
      }
      pin.close();
      s.close();
    } catch (TimeoutException e) {
      outcome = Op.Outcome.UNANSWERED;
    } catch (ExecutionException e) {
      outcome = Op.Outcome.ERROR;
      detail = describe(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = Op.Outcome.UNANSWERED;
      detail = "interrupted";
    }
    Op op =
        new Op(
            scenario,
            Op.Kind.REGISTER,
            u.name,
            version,
            t0,
            System.nanoTime(),
            outcome,
            -1,
            -1,
            detail);
    history.add(op);
    return op;
  }

  /** Recovers {@code u} with its right or a wrong PIN; recorded. */
  Op recover(String scenario, UserState u, boolean rightPin) {
    Pin pin = Pin.of((rightPin ? u.pin : u.wrongPin).toCharArray());
    long t0 = System.nanoTime();
    Op.Outcome outcome;
    String detail = "";
    int remaining = -1;
    int recovered = -1;
    try {
      CompletableFuture<RecoverResult> f = client.recover(u.name, pin).toCompletableFuture();
      RecoverResult r = f.get(opDeadline.toMillis(), TimeUnit.MILLISECONDS);
      pin.close();
      if (r instanceof RecoverResult.Recovered rec) {
        outcome = Op.Outcome.RECOVERED;
        recovered = versionOf(u, rec.secret());
        u.wrongInARow = 0;
      } else if (r instanceof RecoverResult.WrongPin w) {
        outcome = Op.Outcome.WRONG_PIN;
        remaining = w.guessesRemaining();
        u.wrongInARow++;
      } else if (r instanceof RecoverResult.NoGuesses) {
        outcome = Op.Outcome.NO_GUESSES;
      } else if (r instanceof RecoverResult.NotRegistered) {
        outcome = Op.Outcome.NOT_REGISTERED;
      } else {
        outcome = Op.Outcome.UNAVAILABLE;
        detail = ((RecoverResult.Unavailable) r).reason();
      }
    } catch (TimeoutException e) {
      outcome = Op.Outcome.UNANSWERED;
    } catch (ExecutionException e) {
      outcome = Op.Outcome.ERROR;
      detail = describe(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = Op.Outcome.UNANSWERED;
      detail = "interrupted";
    }
    if (!rightPin && !outcome.acknowledged()) {
      u.wrongInARow++; // the guess may have been counted
    }
    Op op =
        new Op(
            scenario,
            rightPin ? Op.Kind.RECOVER_RIGHT_PIN : Op.Kind.RECOVER_WRONG_PIN,
            u.name,
            0,
            t0,
            System.nanoTime(),
            outcome,
            remaining,
            recovered,
            detail);
    history.add(op);
    return op;
  }

  /**
   * Which of the user's versions {@code secret} is (1-based), 0 for none; wipes the copy and closes
   * the secret.
   */
  private static int versionOf(UserState u, BackupSecret secret) {
    byte[] got = secret.copyBytes();
    try {
      for (int v = 0; v < u.secrets.size(); v++) {
        if (MessageDigest.isEqual(got, u.secrets.get(v))) {
          return v + 1;
        }
      }
      return 0;
    } finally {
      Arrays.fill(got, (byte) 0);
      secret.close();
    }
  }

  private static String describe(Throwable t) {
    if (t instanceof FleetvaultException fe) {
      return fe.code() + ": " + fe.getMessage();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
