/**
 * Runnable demos.
 */
package dev.simnet.demo;
