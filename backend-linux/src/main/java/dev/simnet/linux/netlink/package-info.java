/**
 * rtnetlink from Java: a writer for netlink messages and attributes, and a NETLINK_ROUTE socket
 * that batches requests (links, veth pairs with the peer created in another namespace, bridges,
 * addresses, routes) into one datagram and collects their acknowledgements, with the kernel's
 * extended-ack messages in errors. Formats from {@code include/uapi/linux/rtnetlink.h} and
 * {@code if_link.h}.
 */
package dev.simnet.linux.netlink;
