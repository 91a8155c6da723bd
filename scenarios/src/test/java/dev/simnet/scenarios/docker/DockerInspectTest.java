package dev.simnet.scenarios.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.scenarios.compose.Argv;
import dev.simnet.scenarios.compose.ComposeParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerInspectTest {
    static final String ARTICLE = "name: linuxnetworks\nservices:\n  nginx_a:\n    image: 'nginx:latest'\n"
            + "    ports: ['8080:80', '9080:9080']\n  nginx_b:\n    image: 'nginx:latest'\n    network_mode: service:nginx_a\n";

    static DockerProject project(String yaml) {
        return ControlPlane.build(ComposeParser.parse(yaml, "compose.yaml", Path.of("/tmp/p"),
                ComposeParser.Options.defaults()), 1L);
    }

    static DockerInspect.Output run(DockerProject p, String cmd) {
        return new DockerInspect(p).run(Argv.split(cmd), 300_000_000_000L);
    }

    @Test
    void networkInspectHasDockersShapeAndKeyOrder() {
        DockerProject p = project(ARTICLE);
        DockerInspect.Output o = run(p, "docker network inspect linuxnetworks_default");
        assertEquals(0, o.exit());
        @SuppressWarnings("unchecked")
        Map<String, Object> n = (Map<String, Object>) ((List<Object>) Json.parse(o.stdout())).get(0);
        assertEquals(List.of("Name", "Id", "Created", "Scope", "Driver", "EnableIPv4", "EnableIPv6", "IPAM", "Internal",
                "Attachable", "Ingress", "ConfigFrom", "ConfigOnly", "Containers", "Options", "Labels"), new ArrayList<>(n.keySet()));
        assertEquals("2025-12-31T23:59:58Z", n.get("Created"), "two seconds before virtual time 0 on the default epoch");
        assertEquals("172.18.0.0/16", Json.path(n, "IPAM.Config[0].Subnet"));
        assertEquals("172.18.0.1", Json.path(n, "IPAM.Config[0].Gateway"));
        assertEquals(null, Json.path(n, "IPAM.Options"));
        @SuppressWarnings("unchecked")
        Map<String, Object> containers = (Map<String, Object>) n.get("Containers");
        assertEquals(1, containers.size(), "the container sharing nginx_a's namespace has no endpoint");
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) containers.values().iterator().next();
        assertEquals(List.of("Name", "EndpointID", "MacAddress", "IPv4Address", "IPv6Address"), new ArrayList<>(c.keySet()));
        assertEquals("172.18.0.2/16", c.get("IPv4Address"));
        assertTrue(o.stdout().startsWith("[\n    {\n        \"Name\": \"linuxnetworks_default\",\n"), "4-space indent like the CLI");
    }

    @Test
    void defaultBridgeLooksLikeTheArticle() {
        DockerProject p = project(ARTICLE);
        DockerInspect.Output o = run(p, "docker network inspect bridge");
        Object n = Json.parse(o.stdout());
        assertEquals("docker0", Json.path(n, "[0].Options[\"com.docker.network.bridge.name\"]"));
        assertEquals("true", Json.path(n, "[0].Options[\"com.docker.network.bridge.default_bridge\"]"));
        assertEquals(Map.of(), Json.path(n, "[0].Containers"));
        assertEquals(Map.of(), Json.path(n, "[0].Labels"));
        assertEquals("Error response from daemon: network nope not found\n", run(p, "docker network inspect nope").stderr());
        assertEquals(1, run(p, "docker network inspect nope").exit());
    }

    @Test
    void containerInspectWithTemplates() {
        DockerProject p = project(ARTICLE);
        assertEquals("172.18.0.2\n", run(p,
                "docker inspect linuxnetworks-nginx_a-1 -f '{{.NetworkSettings.Networks.linuxnetworks_default.IPAddress}}'").stdout());
        assertEquals("<no value>\n", run(p,
                "docker inspect linuxnetworks-nginx_b-1 -f '{{.NetworkSettings.Networks.linuxnetworks_default.IPAddress}}'").stdout());
        assertEquals("\n", run(p, "docker inspect linuxnetworks-nginx_b-1 -f '{{.NetworkSettings.SandboxKey}}'").stdout());
        String key = run(p, "docker inspect linuxnetworks-nginx_a-1 -f '{{.NetworkSettings.SandboxKey}}'").stdout();
        assertTrue(key.matches("/var/run/docker/netns/[0-9a-f]{12}\n"), key);
        assertEquals("{}\n", run(p, "docker inspect linuxnetworks-nginx_b-1 -f '{{json .NetworkSettings.Networks}}'").stdout());
        String aliases = run(p, "docker inspect linuxnetworks-nginx_a-1 -f "
                + "'{{range .NetworkSettings.Networks}}{{json .Aliases}} {{.Gateway}}/{{.IPPrefixLen}}{{end}}'").stdout();
        assertEquals("[\"linuxnetworks-nginx_a-1\",\"nginx_a\"] 172.18.0.1/16\n", aliases);
        assertEquals("/linuxnetworks-nginx_a-1\n", run(p, "docker inspect nginx_a -f '{{.Name}}'").stdout(),
                "a service name resolves to its first container");
        assertEquals(1, run(p, "docker inspect nothing").exit());
        String shortId = p.plan().containers().get(0).shortId();
        assertEquals("/linuxnetworks-nginx_a-1\n", run(p, "docker inspect " + shortId + " -f '{{.Name}}'").stdout());
    }

    @Test
    void containerInspectFullJson() {
        DockerProject p = project(ARTICLE);
        Object c = Json.parse(run(p, "docker inspect linuxnetworks-nginx_a-1").stdout());
        assertEquals("running", Json.path(c, "[0].State.Status"));
        assertEquals("linuxnetworks_default", Json.path(c, "[0].HostConfig.NetworkMode"));
        assertEquals("8080", Json.path(c, "[0].NetworkSettings.Ports[\"80/tcp\"][0].HostPort"));
        assertEquals("0.0.0.0", Json.path(c, "[0].NetworkSettings.Ports[\"80/tcp\"][0].HostIp"));
        assertEquals("", Json.path(c, "[0].HostConfig.PortBindings[\"9080/tcp\"][0].HostIp"));
        assertEquals(List.of("/docker-entrypoint.sh"), Json.path(c, "[0].Config.Entrypoint"));
        assertEquals(List.of("nginx", "-g", "daemon off;"), Json.path(c, "[0].Config.Cmd"));
        String mac = (String) Json.path(c, "[0].NetworkSettings.Networks.linuxnetworks_default.MacAddress");
        assertEquals(p.plan().containers().get(0).endpoints().get(0).mac().toString(), mac);
        List<?> dnsNames = (List<?>) Json.path(c, "[0].NetworkSettings.Networks.linuxnetworks_default.DNSNames");
        assertEquals(List.of("linuxnetworks-nginx_a-1", "nginx_a", p.plan().containers().get(0).shortId()), dnsNames);
    }

    @Test
    void networkLsTable() {
        String out = run(project(ARTICLE), "docker network ls").stdout();
        String[] lines = out.split("\n");
        assertEquals("NETWORK ID     NAME                    DRIVER    SCOPE", lines[0]);
        assertTrue(lines[1].matches("[0-9a-f]{12}   bridge                  bridge    local"), lines[1]);
        assertTrue(lines[2].matches("[0-9a-f]{12}   host                    host      local"), lines[2]);
        assertTrue(lines[3].matches("[0-9a-f]{12}   linuxnetworks_default   bridge    local"), lines[3]);
        assertTrue(lines[4].matches("[0-9a-f]{12}   none                    null      local"), lines[4]);
    }

    @Test
    void composePsLikeTheArticle() {
        String out = run(project(ARTICLE), "docker compose ps").stdout();
        String[] lines = out.split("\n");
        assertEquals("NAME                      IMAGE          COMMAND                  SERVICE   CREATED         STATUS         PORTS", lines[0]);
        assertEquals("linuxnetworks-nginx_a-1   nginx:latest   \"/docker-entrypoint.…\"   nginx_a   5 minutes ago   Up 5 minutes   "
                + "0.0.0.0:8080->80/tcp, 0.0.0.0:9080->9080/tcp", lines[1]);
        assertEquals("linuxnetworks-nginx_b-1   nginx:latest   \"/docker-entrypoint.…\"   nginx_b   5 minutes ago   Up 5 minutes   ", lines[2]);
    }

    @Test
    void stoppedContainersLoseTheirNetworkSettings() {
        DockerProject p = project("services: {a: {image: nginx}, b: {image: nginx}}");
        p.stop("p-b-1", 10_000_000_000L);
        assertEquals("exited \n", run(p, "docker inspect p-b-1 -f '{{.State.Status}} {{.NetworkSettings.Networks.p_default.IPAddress}}'").stdout());
        assertTrue(run(p, "docker ps -a").stdout().contains("Exited (0) 4 minutes ago"));
        assertTrue(!run(p, "docker compose ps").stdout().contains("p-b-1"));
    }

    @Test
    void psQuietWithANameFilter() {
        DockerProject p = project(ARTICLE);
        String b = p.plan().container("linuxnetworks-nginx_b-1").orElseThrow().shortId();
        assertEquals(b + "\n", run(p, "docker ps -f Name=nginx_b -q").stdout());
        assertEquals(2, run(p, "docker ps -q").stdout().split("\n").length);
    }

    @Test
    void resolvConfHostsAndHostname() {
        DockerProject p = project("services:\n  a:\n    image: nginx\n    extra_hosts: ['gw:host-gateway']\n"
                + "  b: {image: nginx, network_mode: service:a}\n  c: {image: x, network_mode: bridge, dns: 9.9.9.9}\n");
        var plan = p.plan();
        var a = plan.container("p-a-1").orElseThrow();
        var b = plan.container("p-b-1").orElseThrow();
        String resolv = ContainerFiles.resolvConf(plan, a);
        assertTrue(resolv.contains("\nnameserver 127.0.0.11\noptions ndots:0\n"), resolv);
        assertTrue(resolv.contains("# ExtServers: [203.0.113.53]\n"), resolv);
        assertEquals(resolv, ContainerFiles.resolvConf(plan, b), "a shared namespace shares the file");
        String legacy = ContainerFiles.resolvConf(plan, plan.container("p-c-1").orElseThrow());
        assertTrue(legacy.contains("\nnameserver 9.9.9.9\n") && !legacy.contains("127.0.0.11"), legacy);
        String hosts = ContainerFiles.hosts(plan, a);
        assertTrue(hosts.startsWith("127.0.0.1\tlocalhost\n"), hosts);
        assertTrue(hosts.endsWith("172.17.0.1\tgw\n172.18.0.2\t" + a.shortId() + "\n"), hosts);
        assertEquals(a.shortId() + "\n", ContainerFiles.hostname(plan, b));
    }

    @Test
    void humanDuration() {
        assertEquals("Less than a second", DockerInspect.humanDuration(999_999_999L));
        assertEquals("1 second", DockerInspect.humanDuration(1_000_000_000L));
        assertEquals("59 seconds", DockerInspect.humanDuration(59_000_000_000L));
        assertEquals("About a minute", DockerInspect.humanDuration(61_000_000_000L));
        assertEquals("16 minutes", DockerInspect.humanDuration(16 * 60_000_000_000L));
        assertEquals("About an hour", DockerInspect.humanDuration(3_600_000_000_000L));
        assertEquals("3 days", DockerInspect.humanDuration(72 * 3_600_000_000_000L));
    }

    @Test
    void goTemplates() {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("A", Map.of("B", "x", "n", 3L));
        data.put("L", List.of("p", "q"));
        data.put("Nil", null);
        assertEquals("x", GoTemplate.render("{{.A.B}}", data));
        assertEquals("<no value>", GoTemplate.render("{{.A.Missing.C}}", data));
        assertEquals("<nil>", GoTemplate.render("{{.Nil}}", data));
        assertEquals("p,q,", GoTemplate.render("{{range .L}}{{.}},{{end}}", data));
        assertEquals("0=p 1=q ", GoTemplate.render("{{range $i, $v := .L}}{{$i}}={{$v}} {{end}}", data));
        assertEquals("B:x n:3 ", GoTemplate.render("{{range $k, $v := .A}}{{$k}}:{{$v}} {{end}}", data));
        assertEquals("{\"B\":\"x\",\"n\":3}".length(), GoTemplate.render("{{json .A}}", data).length());
        assertEquals("\"<a&b>\"", GoTemplate.render("{{json .S}}", Map.of("S", "<a&b>")), "the CLI's json does not escape HTML");
        assertEquals("q", GoTemplate.render("{{index .L 1}}", data));
        assertEquals("x", GoTemplate.render("{{index .A \"B\"}}", data));
        assertEquals("map[B:x n:3]", GoTemplate.render("{{.A}}", data));
        assertThrows(IllegalArgumentException.class, () -> GoTemplate.render("{{range .L}}", data));
        assertThrows(IllegalArgumentException.class, () -> GoTemplate.render("{{.A", data));
        assertThrows(IllegalArgumentException.class, () -> GoTemplate.render("{{nosuch .A}}", data));
    }

    @Test
    void jsonRoundTripAndEscaping() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("s", "a<b>&\"c\"\n");
        m.put("n", 5L);
        m.put("l", List.of(true, false));
        m.put("e", Map.of());
        m.put("z", null);
        String s = Json.pretty(m);
        assertEquals("{\n    \"s\": \"a\\u003cb\\u003e\\u0026\\\"c\\\"\\n\",\n    \"n\": 5,\n    \"l\": [\n        true,\n"
                + "        false\n    ],\n    \"e\": {},\n    \"z\": null\n}", s);
        assertEquals(m, Json.parse(s));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": }"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\u12\""));
        assertEquals(Json.MISSING, Json.path(Json.parse("[{\"a\": 1}]"), "$[1].a"));
        assertEquals(1L, Json.path(Json.parse("[{\"a\": 1}]"), "$[-1].a"));
    }
}
