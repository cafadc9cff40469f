package dev.fleetvault.config.yaml;

/**
 * A configuration file is invalid. The message always names the file, the line and the key (as a
 * dotted path such as {@code nodes[0].hsm.driver}) and says what was expected, so an operator can
 * fix the file without reading code. Start-up stops on this exception. Thrown by {@link StrictYaml}
 * and {@link YamlMap} and by the checks callers add on top of them.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message file, line, key and what is wrong
   */
  public ConfigException(String message) {
    super(message);
  }

  /**
   * @param message file, line, key and what is wrong; @param cause the underlying error
   */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
