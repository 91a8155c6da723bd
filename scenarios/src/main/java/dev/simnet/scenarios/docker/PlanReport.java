package dev.simnet.scenarios.docker;

import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import dev.simnet.topology.TopologyPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code simnet inspect}: the plan Docker would build, for people (tables) and for programs (JSON):
 * networks with subnets, gateways and bridges; containers with namespaces, interfaces, addresses,
 * MACs and host-side veths; the embedded DNS names per network; published ports; per-container
 * DNS, links and extra hosts; the program model each container runs.
 */
public final class PlanReport {
    private PlanReport() {
    }

    /** DNS names per user network: name to addresses, as the embedded resolver answers them. */
    public static Map<String, Map<String, List<String>>> dnsTable(TopologyPlan plan) {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        for (NetworkPlan n : plan.networks()) {
            if (!n.embeddedDns()) {
                continue;
            }
            Map<String, List<String>> names = new TreeMap<>();
            for (ContainerPlan c : plan.containers()) {
                for (EndpointPlan e : c.endpoints()) {
                    if (!e.network().equals(n.name())) {
                        continue;
                    }
                    List<String> ns = new ArrayList<>();
                    ns.add(c.name());
                    ns.add(c.service());
                    ns.addAll(e.aliases());
                    ns.add(c.shortId());
                    if (!c.hostname().equals(c.shortId())) {
                        ns.add(c.hostname());
                    }
                    for (String name : ns) {
                        List<String> l = names.computeIfAbsent(name.toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>());
                        if (!l.contains(e.address().toString())) {
                            l.add(e.address().toString());
                        }
                    }
                }
            }
            out.put(n.name(), names);
        }
        return out;
    }

    /** The readable report. {@code rules} is the rendered rule set, or null when no renderer is available. */
    public static String text(DockerProject p, String rules) {
        TopologyPlan plan = p.plan();
        StringBuilder sb = new StringBuilder();
        DockerOptions o = p.options();
        sb.append("Project ").append(plan.project()).append("  (").append(p.compose().file()).append(", seed ")
                .append(plan.seed()).append(", userland-proxy ").append(plan.userlandProxy() ? "on" : "off")
                .append(", MACs ").append(o.macScheme() == DockerOptions.MacScheme.RANDOM ? "random (Docker 28+)" : "02:42 + IPv4 (Docker ≤ 27)")
                .append(")\n");
        for (String note : p.compose().notes()) {
            sb.append("  note: ").append(note).append('\n');
        }
        sb.append("\nNetworks\n");
        TextTable t = new TextTable(4, 2).row("  NAME", "BRIDGE", "SUBNET", "GATEWAY", "ID", "NOTES");
        for (NetworkPlan n : plan.networks()) {
            List<String> notes = new ArrayList<>();
            if (n.defaultBridge()) {
                notes.add("default bridge, no embedded DNS");
            }
            if (n.internal()) {
                notes.add("internal");
            }
            if (!n.icc()) {
                notes.add("icc off");
            }
            if (n.external()) {
                notes.add("external");
            }
            if (!n.ipRange().equals(n.subnet())) {
                notes.add("ip_range " + n.ipRange());
            }
            t.row("  " + n.name(), n.bridgeName(), n.subnet().toString(), n.gateway().toString(), n.id().substring(0, 12),
                    String.join(", ", notes));
        }
        sb.append(t.render());
        sb.append("\nContainers (start order)\n");
        TextTable c = new TextTable(4, 2).row("  NAME", "SERVICE", "NAMESPACE", "IFACE", "ADDRESS", "MAC", "HOST VETH", "NETWORK");
        for (ContainerPlan cp : plan.containers()) {
            if (cp.endpoints().isEmpty()) {
                String ns = cp.ownsNamespace() ? (cp.networkMode().equals("none") ? "own (lo only)" : "own")
                        : cp.netns().equals("host") ? "host" : "shares " + cp.netns();
                c.row("  " + cp.name(), cp.service(), ns, "-", "-", "-", "-", cp.networkMode());
            }
            boolean first = true;
            for (EndpointPlan e : cp.endpoints()) {
                c.row(first ? "  " + cp.name() : "", first ? cp.service() : "", first ? "own" : "", e.ifname(),
                        e.address() + "/" + e.prefixLength(), e.mac().toString(), e.hostVeth(), e.network());
                first = false;
            }
        }
        sb.append(c.render());
        sb.append("\nHostnames, programs and listening ports\n");
        TextTable h = new TextTable(4, 2).row("  CONTAINER", "ID", "HOSTNAME", "PROGRAM", "LISTENS");
        for (ContainerPlan cp : plan.containers()) {
            Object listen = cp.extensions().get("listen");
            h.row("  " + cp.name(), cp.shortId(), cp.hostname(), String.valueOf(cp.extensions().get("model")),
                    listen instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : "");
        }
        sb.append(h.render());
        sb.append("\nPublished ports\n");
        boolean any = false;
        for (ContainerPlan cp : plan.containers()) {
            for (PortPlan pp : cp.ports()) {
                String target = cp.endpoints().isEmpty() ? cp.name() : cp.name() + " (" + cp.endpoints().get(0).address() + ")";
                sb.append("  ").append(pp.hostIp()).append(':').append(pp.hostPort()).append(" -> ").append(target)
                        .append(':').append(pp.containerPort()).append('/').append(pp.protocol()).append('\n');
                any = true;
            }
        }
        if (!any) {
            sb.append("  (none)\n");
        }
        sb.append("\nEmbedded DNS (127.0.0.11 in every container on a user network; upstream ")
                .append(String.join(", ", plan.hostUpstreams())).append(")\n");
        for (Map.Entry<String, Map<String, List<String>>> e : dnsTable(plan).entrySet()) {
            sb.append("  ").append(e.getKey()).append(":\n");
            TextTable d = new TextTable(4, 2);
            for (Map.Entry<String, List<String>> r : e.getValue().entrySet()) {
                d.row("    " + r.getKey(), String.join(", ", r.getValue()));
            }
            sb.append(d.render());
        }
        List<String> per = new ArrayList<>();
        for (ContainerPlan cp : plan.containers()) {
            if (!cp.dns().isEmpty()) {
                per.add("  " + cp.name() + ": dns " + String.join(", ", cp.dns()));
            }
            cp.links().forEach((alias, target) -> per.add("  " + cp.name() + ": link " + alias + " -> " + target));
            cp.extraHosts().forEach((host, addr) -> per.add("  " + cp.name() + ": extra host " + host + " -> " + addr));
        }
        if (!per.isEmpty()) {
            sb.append("\nPer-container DNS settings\n");
            per.forEach(l -> sb.append(l).append('\n'));
        }
        sb.append("\nRules\n");
        if (rules == null) {
            sb.append("  (the netfilter rule set is rendered by the NAT module, which is not part of this build)\n");
        } else {
            for (String l : rules.split("\n")) {
                sb.append("  ").append(l).append('\n');
            }
        }
        return sb.toString();
    }

    /** The plan as JSON-ready maps. */
    public static Map<String, Object> data(DockerProject p) {
        TopologyPlan plan = p.plan();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("project", plan.project());
        m.put("seed", plan.seed());
        m.put("userlandProxy", plan.userlandProxy());
        m.put("hostUpstreams", plan.hostUpstreams());
        List<Object> nets = new ArrayList<>();
        for (NetworkPlan n : plan.networks()) {
            Map<String, Object> nm = new LinkedHashMap<>();
            nm.put("name", n.name());
            nm.put("key", n.key());
            nm.put("id", n.id());
            nm.put("bridge", n.bridgeName());
            nm.put("bridgeMac", n.bridgeMac().toString());
            nm.put("subnet", n.subnet().toString());
            nm.put("ipRange", n.ipRange().toString());
            nm.put("gateway", n.gateway().toString());
            nm.put("internal", n.internal());
            nm.put("icc", n.icc());
            nm.put("defaultBridge", n.defaultBridge());
            nm.put("external", n.external());
            nets.add(nm);
        }
        m.put("networks", nets);
        List<Object> cs = new ArrayList<>();
        for (ContainerPlan c : plan.containers()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("service", c.service());
            cm.put("replica", c.replica());
            cm.put("id", c.id());
            cm.put("hostname", c.hostname());
            cm.put("netns", c.netns());
            cm.put("networkMode", c.networkMode());
            List<Object> eps = new ArrayList<>();
            for (EndpointPlan e : c.endpoints()) {
                Map<String, Object> em = new LinkedHashMap<>();
                em.put("network", e.network());
                em.put("ifname", e.ifname());
                em.put("address", e.address().toString());
                em.put("prefixLength", e.prefixLength());
                em.put("mac", e.mac().toString());
                em.put("hostVeth", e.hostVeth());
                em.put("aliases", e.aliases());
                eps.add(em);
            }
            cm.put("endpoints", eps);
            List<Object> ports = new ArrayList<>();
            for (PortPlan pp : c.ports()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("hostIp", pp.hostIp().toString());
                pm.put("hostPort", pp.hostPort());
                pm.put("containerPort", pp.containerPort());
                pm.put("protocol", pp.protocol());
                ports.add(pm);
            }
            cm.put("ports", ports);
            cm.put("exposedPorts", c.exposedPorts());
            cm.put("dns", c.dns());
            cm.put("extraHosts", c.extraHosts());
            cm.put("links", c.links());
            cm.put("image", c.image());
            cm.put("command", c.command());
            Map<String, Object> ext = new LinkedHashMap<>(c.extensions());
            if (ext.get("files") instanceof Map<?, ?> f) {
                ext.put("files", new ArrayList<>(f.keySet()));
            }
            cm.put("extensions", ext);
            cs.add(cm);
        }
        m.put("containers", cs);
        Map<String, Object> dns = new LinkedHashMap<>();
        dnsTable(plan).forEach((k, v) -> dns.put(k, new LinkedHashMap<>(v)));
        m.put("dns", dns);
        return m;
    }
}
