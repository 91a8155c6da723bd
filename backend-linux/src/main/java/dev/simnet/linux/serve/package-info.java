/**
 * Small servers on real sockets inside namespaces, standing in for images without a real binary:
 * an nginx/httpd/whoami-like HTTP server, TCP acceptors (redis PING), and Docker's userland proxy.
 */
package dev.simnet.linux.serve;
