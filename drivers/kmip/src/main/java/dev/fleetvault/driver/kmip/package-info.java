/**
 * The KMIP driver: a small TTLV codec and KMIP 1.4 client over mutually authenticated TLS (tested
 * on PyKMIP).
 */
package dev.fleetvault.driver.kmip;
