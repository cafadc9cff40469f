package dev.fleetvault.cli.impl;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * The data root override shared by {@code fleetvault up} and the commands that connect to its fleet
 * ({@code bench}, {@code register}, {@code recover}, ...): {@code --data-root DIR}, else the
 * environment variable {@value #ENV}, else none (the configuration's {@code data_root}). One rule
 * for all of them, so the trust file {@code up} writes ({@code <data root>/fleet/trust.json}) is
 * the one the others read.
 */
public final class DataRoots {
  /** The environment variable naming the data root when {@code --data-root} is not given. */
  public static final String ENV = "FLEETVAULT_DATA_ROOT";

  private DataRoots() {}

  /** {@code option}, else {@value #ENV} from the environment, else null. */
  public static Path choose(Path option) {
    return choose(option, System::getenv);
  }

  /** {@code option}, else {@value #ENV} from {@code env}, else null. */
  public static Path choose(Path option, Function<String, String> env) {
    if (option != null) {
      return option;
    }
    String v = env.apply(ENV);
    return v == null || v.isBlank() ? null : Path.of(v.trim());
  }
}
