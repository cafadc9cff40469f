/** The independent signer service and its durable, append-only audit log (its own process). */
package dev.fleetvault.signer;
