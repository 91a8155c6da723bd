/**
 * jnr-ffi bindings to the few system calls the Linux backend needs (namespaces, mounts, netlink
 * sockets), with errno turned into {@link dev.simnet.linux.ffi.NativeException}.
 */
package dev.simnet.linux.ffi;
