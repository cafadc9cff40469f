package dev.fleetvault.bundles.evidence;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The attestation verifiers available, by format. Two verifiers for one format are refused. */
public final class AttestationVerifiers {
  private final Map<String, AttestationVerifier> byFormat;

  private AttestationVerifiers(Map<String, AttestationVerifier> byFormat) {
    this.byFormat = byFormat;
  }

  /** Exactly these verifiers. */
  public static AttestationVerifiers of(List<AttestationVerifier> verifiers) {
    Map<String, AttestationVerifier> m = new TreeMap<>();
    for (AttestationVerifier v : verifiers) {
      if (m.put(v.format(), v) != null) {
        throw new IllegalStateException(
            "two attestation verifiers for format "
                + v.format()
                + ": "
                + m.get(v.format()).getClass().getName()
                + " and "
                + v.getClass().getName());
      }
    }
    return new AttestationVerifiers(m);
  }

  /** Every verifier on the class path ({@link ServiceLoader}). */
  public static AttestationVerifiers load() {
    return load(AttestationVerifiers.class.getClassLoader());
  }

  /** Every verifier visible to {@code loader}. */
  public static AttestationVerifiers load(ClassLoader loader) {
    List<AttestationVerifier> l = new java.util.ArrayList<>();
    ServiceLoader.load(AttestationVerifier.class, loader).forEach(l::add);
    return of(l);
  }

  /** The verifier for {@code format}. */
  public Optional<AttestationVerifier> forFormat(String format) {
    return Optional.ofNullable(byFormat.get(format));
  }

  /** The formats known. */
  public java.util.Set<String> formats() {
    return byFormat.keySet();
  }
}
