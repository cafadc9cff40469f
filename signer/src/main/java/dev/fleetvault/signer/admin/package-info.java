/**
 * The signer's operations surface: its Prometheus meters ({@link
 * dev.fleetvault.signer.admin.SignerMetrics}) and the admin listener that serves them with health
 * and readiness ({@link dev.fleetvault.signer.admin.AdminServer}), on an address of its own, never
 * the signer's API port.
 */
package dev.fleetvault.signer.admin;
