package dev.fleetvault.driver.spi;

import java.util.regex.Pattern;

/** The key label rule every driver enforces: 1..64 characters from {@code [A-Za-z0-9._:-]}. */
public final class KeyLabels {

  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private KeyLabels() {}

  /** Returns {@code label} if valid, else throws kind {@link HsmException.Kind#INVALID_INPUT}. */
  public static String validate(String label) throws HsmFatalException {
    if (label == null || !LABEL.matcher(label).matches()) {
      throw new HsmFatalException(
          HsmException.Kind.INVALID_INPUT,
          "key label must be 1..64 characters from [A-Za-z0-9._:-]");
    }
    return label;
  }
}
