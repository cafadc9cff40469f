/**
 * {@code fleetvault transparency build}: the static transparency site of a fleet's published epochs
 * (plain HTML and CSS, no scripts), with each epoch's members, keys, HSM facts, evidence package,
 * log position, checkpoint, the changes since the previous epoch and the exact command to verify
 * it. Not an API.
 */
package dev.fleetvault.cli.transparency;
