/** jnr-ffi access to {@code /dev/net/tun}: open, TUNSETIFF, TUNSETOFFLOAD, SIOCSIFHWADDR, read, write, poll. */
package dev.simnet.tap.ffi;
