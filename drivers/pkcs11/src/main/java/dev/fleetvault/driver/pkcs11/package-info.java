/** The PKCS#11 driver over the JDK's SunPKCS11 provider (tested on SoftHSM2). */
package dev.fleetvault.driver.pkcs11;
