/**
 * A software HSM driver for development and tests only: keys in a passphrase-encrypted file. Not
 * for production.
 */
package dev.fleetvault.driver.soft;
