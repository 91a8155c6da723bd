/** jnr-ffi access to {@code /dev/net/tun}: open, TUNSETIFF, TUNSETOFFLOAD, SIOCSIFHWADDR, read, write, poll, ppoll, eventfd. */
package dev.simnet.tap.ffi;
