/**
 * The Java client SDK for apps: register, recover and delete backup keys, with bundle verification.
 * No server code.
 */
package dev.fleetvault.client;
