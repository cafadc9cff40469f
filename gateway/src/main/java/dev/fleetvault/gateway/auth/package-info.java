/** Who may call: app-token (JWT) verification and per-user / per-address rate limits. */
package dev.fleetvault.gateway.auth;
