/**
 * App tokens as an app's backend mints them ({@link dev.fleetvault.cli.tokens.DevTokens}), for the
 * CLI with the development app key and for tests that act as an app.
 */
package dev.fleetvault.cli.tokens;
