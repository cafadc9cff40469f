/**
 * {@code fleetvault ceremony} and {@code fleetvault evidence}: the key ceremony and deployment
 * evidence.
 */
package dev.fleetvault.cli.ceremony;
