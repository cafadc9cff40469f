/**
 * Internals of the {@code kmip} driver: the {@code HsmDriver} implementation, key ids, error
 * mapping and start-up probes.
 */
package dev.fleetvault.driver.kmip.impl;
