/**
 * The {@code bundle}, {@code audit} and {@code signer} commands: validation bundles, the audit log
 * and the independent signer, from the operator's and an outside auditor's side.
 */
package dev.fleetvault.cli.audit;
