/**
 * The fleetvault.v1 wire format: protobuf messages and Vert.x gRPC stubs generated from {@code
 * src/main/proto/fleetvault/v1/*.proto}, plus {@link dev.fleetvault.protocol.wire.WireCodec}
 * (strict decoding with hard size limits), {@link dev.fleetvault.protocol.wire.WireLimits} and
 * {@link dev.fleetvault.protocol.wire.WireVersion}.
 */
package dev.fleetvault.protocol.wire;
