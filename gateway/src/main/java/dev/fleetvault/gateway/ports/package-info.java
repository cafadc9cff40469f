/**
 * Start-up checks of a node's configured ports: a taken port is named, with its owner, before
 * anything starts.
 */
package dev.fleetvault.gateway.ports;
