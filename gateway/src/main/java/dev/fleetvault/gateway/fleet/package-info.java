/**
 * Where a node learns its peers: the verified fleet bundle (production) or the development fleet
 * directory, behind one small {@link dev.fleetvault.gateway.fleet.PeerKeys} abstraction.
 */
package dev.fleetvault.gateway.fleet;
