/**
 * Network admission rules shared by every Fleetvault listener (node and signer): {@link
 * dev.fleetvault.net.ConnectionLimit}, the per-remote-address connection limit.
 */
package dev.fleetvault.net;
