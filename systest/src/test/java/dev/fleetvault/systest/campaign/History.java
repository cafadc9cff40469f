package dev.fleetvault.systest.campaign;

import java.util.ArrayList;
import java.util.List;

/** Every operation of a campaign, in the order they were answered. Thread-safe. */
public final class History {
  private final List<Op> ops = new ArrayList<>();

  /** Records one operation. */
  public synchronized void add(Op op) {
    ops.add(op);
  }

  /** A copy of the operations of {@code scenario}. */
  public synchronized List<Op> of(String scenario) {
    return ops.stream().filter(o -> o.scenario().equals(scenario)).toList();
  }

  /** A copy of all operations. */
  public synchronized List<Op> all() {
    return List.copyOf(ops);
  }
}
