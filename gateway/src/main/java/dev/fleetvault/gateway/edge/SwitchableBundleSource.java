package dev.fleetvault.gateway.edge;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * A {@link BundleSource} whose delegate can be replaced while the node runs (for example when a
 * local signer starts after the nodes, or the operator moves the node to another signer). Every
 * call reads the current delegate once; thread-safe.
 */
public final class SwitchableBundleSource implements BundleSource {
  private volatile BundleSource delegate;

  /**
   * @param initial the source used until {@link #set(BundleSource)}
   */
  public SwitchableBundleSource(BundleSource initial) {
    this.delegate = Objects.requireNonNull(initial, "initial");
  }

  /** Replaces the delegate. */
  public void set(BundleSource source) {
    this.delegate = Objects.requireNonNull(source, "source");
  }

  /** The current delegate. */
  public BundleSource get() {
    return delegate;
  }

  @Override
  public ByteString bundleFor(long knownEpoch) {
    return delegate.bundleFor(knownEpoch);
  }

  @Override
  public ByteString bundleFor(long knownEpoch, long knownTreeSize) {
    return delegate.bundleFor(knownEpoch, knownTreeSize);
  }

  @Override
  public boolean mayBlock() {
    return delegate.mayBlock();
  }

  @Override
  public boolean isCurrent(ByteString envelope, long knownEpoch, long knownTreeSize) {
    return delegate.isCurrent(envelope, knownEpoch, knownTreeSize);
  }
}
