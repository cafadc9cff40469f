/** Health, readiness and Prometheus metrics endpoints, and the node's meters. */
package dev.fleetvault.gateway.http;
