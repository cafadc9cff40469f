/**
 * A small KMIP 1.2–1.4 client over mutually authenticated TLS: {@link
 * dev.fleetvault.driver.kmip.client.KmipClient} with version negotiation (DiscoverVersions),
 * request batching, per-operation timeouts and a bounded connection pool. Failures are {@link
 * dev.fleetvault.driver.kmip.client.KmipException}s carrying the KMIP result reason and whether a
 * retry can help.
 */
package dev.fleetvault.driver.kmip.client;
