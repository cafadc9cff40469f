/**
 * The Fleetvault node: gRPC, WebSocket and HTTP edge, member logic, and peer forwarding on Vert.x.
 */
package dev.fleetvault.gateway;
