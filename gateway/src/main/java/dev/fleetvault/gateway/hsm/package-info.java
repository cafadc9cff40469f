/** The HSM worker executor: every blocking driver call off the event loop, bounded and timed. */
package dev.fleetvault.gateway.hsm;
