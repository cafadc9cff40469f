package dev.fleetvault.protocol.oprf;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.secret.SecretBytes;

/**
 * The client's state between Blind and Finalize: the private input, the blind and the blinded
 * element sent to the server(s).
 *
 * <h2>Guarantees</h2>
 *
 * The input is held in {@link SecretBytes}; {@link #close()} wipes it (the blind, a BigInteger,
 * cannot be wiped — drop the object). {@link #toString()} shows nothing secret. Only {@link
 * #blindedElement()} may leave the client.
 */
public final class BlindedInput implements AutoCloseable {
  private final SecretBytes input;
  private final Scalar blind;
  private final GroupElement blindedElement;

  BlindedInput(SecretBytes input, Scalar blind, GroupElement blindedElement) {
    this.input = input;
    this.blind = blind;
    this.blindedElement = blindedElement;
  }

  /** The private input (secret; owned by this object). */
  public SecretBytes input() {
    return input;
  }

  /** The blind r (secret). */
  public Scalar blind() {
    return blind;
  }

  /** The blinded element {@code r·HashToGroup(input)} to send to the server. */
  public GroupElement blindedElement() {
    return blindedElement;
  }

  @Override
  public void close() {
    input.wipe();
  }

  @Override
  public String toString() {
    return "BlindedInput[redacted]";
  }
}
