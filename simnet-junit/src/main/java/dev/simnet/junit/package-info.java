/**
 * JUnit 5 support: {@link dev.simnet.junit.SimnetTest @SimnetTest} starts a compose project for
 * each test and injects its {@link dev.simnet.api.SimnetHandle}; {@link dev.simnet.junit.SimnetExtension}
 * closes it afterwards and, when a test fails, prints what the topology did (each command with its
 * output) and where packet captures were written.
 */
package dev.simnet.junit;
