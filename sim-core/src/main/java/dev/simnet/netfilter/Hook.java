package dev.simnet.netfilter;

/** The five netfilter hooks of IPv4, in the order a forwarded packet meets them. */
public enum Hook { PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING }
