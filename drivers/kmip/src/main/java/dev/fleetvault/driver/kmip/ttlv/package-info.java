/**
 * KMIP TTLV (Tag, Type, Length, Value) encoding: an immutable item model ({@link
 * dev.fleetvault.driver.kmip.ttlv.Ttlv}), an encoder that applies the 8-byte alignment rules, and a
 * strict decoder bounded by {@link dev.fleetvault.driver.kmip.ttlv.TtlvLimits} (message length,
 * nesting depth, item count).
 *
 * <p>The package has no I/O beyond reading one length-prefixed message from a stream and no
 * dependencies outside the JDK.
 */
package dev.fleetvault.driver.kmip.ttlv;
