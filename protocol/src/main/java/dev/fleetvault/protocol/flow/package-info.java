/**
 * The register / recover / delete protocol of Fleetvault as explicit state machines: the client
 * side ({@link dev.fleetvault.protocol.flow.Registration}, {@link
 * dev.fleetvault.protocol.flow.Recovery}, {@link dev.fleetvault.protocol.flow.Deletion}) and the
 * member core ({@link dev.fleetvault.protocol.flow.MemberLogic}). Pure functions of their inputs
 * and the randomness passed in: no I/O, no clock. Byte-level specification: docs/PROTOCOL.md.
 *
 * <h2>The member core and its interpreter</h2>
 *
 * Like Juicebox's {@code hsm_core}, the member core does no I/O. Each step returns either a sealed
 * reply or the next <em>effect</em>, and the gateway's member service is a thin interpreter that
 * performs exactly the effects named, in order, and feeds the results back:
 *
 * <table>
 *   <caption>Effects</caption>
 *   <tr><th>effect</th><th>named by</th><th>result fed back</th></tr>
 *   <tr><td>HSM ECDH</td><td>{@code encForHsm(request)}</td><td>{@code open(phase, request, appId, dh)}</td></tr>
 *   <tr><td>read row</td><td>every phase</td><td>a {@link dev.fleetvault.protocol.flow.LedgerRow}</td></tr>
 *   <tr><td>HSM unseal</td><td>{@code OpenedRequest.recordAad(version)}</td><td>the record plaintext
 *       (checked by the core against the row's or the witness's digest)</td></tr>
 *   <tr><td>HSM seal, store (put-if-absent), commit register</td>
 *       <td>{@link dev.fleetvault.protocol.flow.Register2Step.Store}</td>
 *       <td>{@code register2Committed} / {@code register2Stale}</td></tr>
 *   <tr><td>commit attempt</td><td>{@link dev.fleetvault.protocol.flow.Recover1Step.CommitAttempt}</td>
 *       <td>ATTEMPT_GRANTED {@link dev.fleetvault.protocol.flow.CommitWitness} →
 *       {@code recover1Evaluate}; refused → {@code recover1NoGuesses}; version/generation
 *       rejected → {@code recover1Stale}</td></tr>
 *   <tr><td>commit succeed</td><td>{@link dev.fleetvault.protocol.flow.Recover2Step.CommitSuccess}</td>
 *       <td>SUCCEEDED witness → {@code recover2Release}</td></tr>
 *   <tr><td>commit delete</td><td>delete phase</td><td>{@code deleted}</td></tr>
 *   <tr><td>reply</td><td>any {@code MemberResponse} / {@code *Step.Reply}</td><td>—</td></tr>
 * </table>
 *
 * The only values that let the core evaluate {@code k_i·B} or release a masked share are {@link
 * dev.fleetvault.protocol.flow.CommitWitness} instances, which only the quorum module creates, from
 * its own replica's applied state. An interpreter that skips a commit, forges a row or forwards
 * another node's answer gets an {@link java.lang.IllegalArgumentException} and nothing is evaluated
 * or released.
 */
package dev.fleetvault.protocol.flow;
