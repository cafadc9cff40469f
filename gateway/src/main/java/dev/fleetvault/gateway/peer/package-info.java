/**
 * The internal {@code Member} service between nodes: mutual TLS (development PKI or configured
 * files), the server side and the edge's clients.
 */
package dev.fleetvault.gateway.peer;
