/**
 * Strict YAML configuration: {@link dev.fleetvault.gateway.config.NodeConfig} and its parts.
 * Unknown keys and wrong types stop start-up with {@code file:line: key ...} messages.
 */
package dev.fleetvault.gateway.config;
