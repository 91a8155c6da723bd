package dev.simnet.scenarios.sim;

import dev.simnet.host.HostStack;
import dev.simnet.netfilter.Netfilter;
import dev.simnet.ns.Namespace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated machine's network view: a namespace with its host stack and netfilter, plus the
 * files a program there reads ({@code /etc/resolv.conf}, {@code /etc/hosts}, {@code /etc/hostname})
 * and the processes running in it (for {@code lsns} and {@code ss -p}).
 */
public final class Node {
    /** What a node stands for. */
    public enum Kind {
        /** The Docker host's namespace (bridges, rule set, docker-proxy). */
        HOST,
        /** A container namespace (possibly shared by several containers). */
        CONTAINER,
        /** The simulated internet behind the host's uplink. */
        INTERNET
    }

    /** A process running in the namespace. */
    public record Proc(int pid, String container, String command) {
    }

    final Kind kind;
    final Namespace ns;
    final HostStack stack;
    final Netfilter netfilter;
    final Map<String, String> files = new LinkedHashMap<>();
    final List<Proc> procs = new ArrayList<>();
    String hostname;

    Node(Kind kind, Namespace ns, HostStack stack, Netfilter netfilter) {
        this.kind = kind;
        this.ns = ns;
        this.stack = stack;
        this.netfilter = netfilter;
    }

    /**
     * The Docker host's node over an engine's host namespace (the TAP backend's simulated host):
     * hostname {@code docker-host}, its {@code /etc/hosts}, a resolv.conf naming {@code upstreams}, PID 1.
     */
    public static Node dockerHost(Namespace ns, HostStack stack, Netfilter netfilter, List<String> upstreams) {
        Node n = new Node(Kind.HOST, ns, stack, netfilter);
        initDockerHost(n, upstreams);
        return n;
    }

    /** Gives a host node the Docker host's hostname, files and init process. */
    static void initDockerHost(Node n, List<String> upstreams) {
        n.hostname = "docker-host";
        n.files.put("/etc/hostname", "docker-host\n");
        n.files.put("/etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\tdocker-host\n\n"
                + "# The following lines are desirable for IPv6 capable hosts\n::1     localhost ip6-localhost ip6-loopback\n"
                + "ff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n");
        StringBuilder rc = new StringBuilder();
        for (String u : upstreams) {
            rc.append("nameserver ").append(u).append('\n');
        }
        n.files.put("/etc/resolv.conf", rc.toString());
        n.procs.add(new Proc(1, null, "/sbin/init"));
    }

    /** The kind of node. */
    public Kind kind() {
        return kind;
    }

    /** The namespace. */
    public Namespace ns() {
        return ns;
    }

    /** Its transport layer. */
    public HostStack stack() {
        return stack;
    }

    /** Its netfilter instance. */
    public Netfilter netfilter() {
        return netfilter;
    }

    /** Files visible to programs here, by absolute path. */
    public Map<String, String> files() {
        return files;
    }

    /** The hostname programs here see. */
    public String hostname() {
        return hostname;
    }

    /** Processes in creation order. */
    public List<Proc> procs() {
        return procs;
    }
}
