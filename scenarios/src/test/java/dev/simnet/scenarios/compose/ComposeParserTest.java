package dev.simnet.scenarios.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComposeParserTest {
    static ComposeFile parse(String yaml) {
        return ComposeParser.parse(yaml, "compose.yaml", Path.of("/tmp/My_Project"), ComposeParser.Options.defaults());
    }

    static String error(String yaml) {
        return assertThrows(ComposeException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void projectNameFromFolderIsNormalized() {
        assertEquals("my_project", parse("services: {a: {image: nginx}}").project());
        assertEquals("abc-1", ComposeParser.normalizeProjectName("__-A.b C-1"));
        assertEquals("x", ComposeParser.normalizeProjectName("-_X!"));
        ComposeFile f = ComposeParser.parse("services: {a: {image: nginx}}", "compose.yaml", Path.of("/tmp/.hidden!"),
                ComposeParser.Options.defaults());
        assertEquals("hidden", f.project());
    }

    @Test
    void nameKeyWinsAndIsValidated() {
        assertEquals("demo", parse("name: demo\nservices: {a: {image: nginx}}").project());
        assertEquals("compose.yaml:1:7: name: invalid project name \"Demo\": expected lower-case letters, digits, '_' "
                + "or '-', starting with a letter or digit", error("name: Demo\nservices: {a: {image: nginx}}"));
    }

    @Test
    void versionKeyIsAcceptedWithANote() {
        ComposeFile f = parse("version: '3.1'\nservices: {a: {image: nginx}}");
        assertEquals(List.of("compose.yaml:1:10: the top-level 'version' key is obsolete and ignored"), f.notes());
    }

    @Test
    void everyShortPortSyntax() {
        ComposeFile f = parse(String.join("\n",
                "services:",
                "  web:",
                "    image: nginx",
                "    ports:",
                "      - 3000",
                "      - 3000-3005",
                "      - 8000:8000",
                "      - 9090-9091:8080-8081",
                "      - 49100:22",
                "      - 8000-9000:80",
                "      - 127.0.0.1:8001:8001",
                "      - 127.0.0.1:5000-5010:5000-5010",
                "      - 127.0.0.1::5000",
                "      - 6060:6060/udp",
                "      - \"53:53/UDP\""));
        List<PortSpec> p = f.services().get("web").ports();
        assertEquals(new PortSpec("0.0.0.0", 0, 0, 3000, 3000, "tcp", p.get(0).location()), p.get(0));
        assertEquals(3005, p.get(1).containerEnd());
        assertEquals(0, p.get(1).hostStart());
        assertEquals(List.of(9090, 9091, 8080, 8081), List.of(p.get(3).hostStart(), p.get(3).hostEnd(),
                p.get(3).containerStart(), p.get(3).containerEnd()));
        assertEquals(List.of(8000, 9000, 80), List.of(p.get(5).hostStart(), p.get(5).hostEnd(), p.get(5).containerStart()));
        assertEquals("127.0.0.1", p.get(6).hostIp());
        assertEquals(0, p.get(8).hostStart());
        assertEquals("127.0.0.1", p.get(8).hostIp());
        assertEquals("udp", p.get(9).protocol());
        assertEquals("udp", p.get(10).protocol());
        assertEquals(15, p.get(10).location().line());
        assertEquals(9, p.get(10).location().column());
    }

    @Test
    void longPortSyntax() {
        ComposeFile f = parse(String.join("\n",
                "services:",
                "  web:",
                "    image: nginx",
                "    ports:",
                "      - target: 80",
                "        published: \"8080\"",
                "        host_ip: 127.0.0.1",
                "        protocol: udp",
                "        mode: host",
                "      - target: 443",
                "        published: 8443-8444",
                "      - target: 22"));
        List<PortSpec> p = f.services().get("web").ports();
        assertEquals(new PortSpec("127.0.0.1", 8080, 8080, 80, 80, "udp", p.get(0).location()), p.get(0));
        assertEquals(8444, p.get(1).hostEnd());
        assertEquals(0, p.get(2).hostStart());
    }

    @Test
    void networksListMapAliasesAddressesAndDefault() {
        ComposeFile f = parse(String.join("\n",
                "services:",
                "  a:",
                "    image: nginx",
                "    networks:",
                "      front:",
                "        aliases: [web, www]",
                "        ipv4_address: 172.28.0.10",
                "      back:",
                "  b:",
                "    image: redis",
                "    networks: [back]",
                "  c:",
                "    image: alpine",
                "networks:",
                "  front:",
                "    ipam:",
                "      config:",
                "        - subnet: 172.28.0.0/16",
                "          gateway: 172.28.0.254",
                "          ip_range: 172.28.5.0/24",
                "  back:",
                "    internal: true",
                "    driver_opts:",
                "      com.docker.network.bridge.name: br-back",
                "      com.docker.network.bridge.enable_icc: \"false\"",
                "  unused: {}"));
        ServiceSpec a = f.services().get("a");
        assertEquals(List.of("web", "www"), a.networks().get("front").aliases());
        assertEquals("172.28.0.10", a.networks().get("front").ipv4Address());
        assertEquals(List.of("default"), List.copyOf(f.services().get("c").networks().keySet()));
        assertEquals(List.of("front", "back", "default"), List.copyOf(f.networks().keySet()));
        NetworkSpec front = f.networks().get("front");
        assertEquals("my_project_front", front.name());
        assertEquals("172.28.0.0/16", front.subnet());
        assertEquals("172.28.0.254", front.gateway());
        assertEquals("172.28.5.0/24", front.ipRange());
        NetworkSpec back = f.networks().get("back");
        assertTrue(back.internal());
        assertFalse(back.icc());
        assertEquals("br-back", back.bridgeName());
        assertEquals("my_project_default", f.networks().get("default").name());
    }

    @Test
    void externalAndNamedNetworksKeepTheirNames() {
        ComposeFile f = parse(String.join("\n",
                "services:",
                "  a: {image: nginx, networks: [ext, named, ext2]}",
                "networks:",
                "  ext: {external: true}",
                "  ext2: {external: true, name: shared-net}",
                "  named: {name: custom}"));
        assertEquals("ext", f.networks().get("ext").name());
        assertEquals("shared-net", f.networks().get("ext2").name());
        assertEquals("custom", f.networks().get("named").name());
        assertTrue(f.networks().get("ext").external());
    }

    @Test
    void modesLinksDependsDnsExtraHostsReplicasCommand() {
        ComposeFile f = parse(String.join("\n",
                "services:",
                "  db: {image: postgres}",
                "  web:",
                "    image: nginx",
                "    links: [db, 'db:database']",
                "    depends_on:",
                "      db: {condition: service_healthy}",
                "    dns: 8.8.8.8",
                "    extra_hosts: ['somehost:162.242.195.82', 'other=50.31.209.229', 'gw:host-gateway']",
                "    deploy: {replicas: 3}",
                "    command: nginx -g 'daemon off;'",
                "  side:",
                "    image: alpine",
                "    network_mode: service:web",
                "    scale: 2",
                "    extra_hosts: {h1: 10.0.0.1}",
                "    dns: [1.1.1.1, 9.9.9.9]",
                "    command: [sleep, infinity]"));
        ServiceSpec web = f.services().get("web");
        assertEquals(Map.of("db", "db", "database", "db"), web.links());
        assertEquals(List.of("db"), web.dependsOn());
        assertEquals(List.of("8.8.8.8"), web.dns());
        assertEquals(List.of("somehost", "other", "gw"), List.copyOf(web.extraHosts().keySet()));
        assertEquals("host-gateway", web.extraHosts().get("gw"));
        assertEquals(3, web.replicas());
        assertEquals(List.of("nginx", "-g", "daemon off;"), web.command());
        ServiceSpec side = f.services().get("side");
        assertEquals("web", side.sharedService());
        assertTrue(side.networks().isEmpty());
        assertEquals(2, side.replicas());
        assertEquals(List.of("1.1.1.1", "9.9.9.9"), side.dns());
        assertEquals("10.0.0.1", side.extraHosts().get("h1"));
        assertEquals(List.of("web"), ComposeParser.dependencies(side));
        assertEquals(List.of("db"), ComposeParser.dependencies(web));
    }

    @Test
    void volumesAreResolvedAgainstTheComposeFolder() {
        ComposeFile f = parse(String.join("\n",
                "services:",
                "  web:",
                "    image: nginx",
                "    volumes:",
                "      - ./conf/site.conf:/etc/nginx/conf.d/default.conf:ro",
                "      - data:/var/lib/data",
                "      - /var/cache",
                "      - type: bind",
                "        source: ../shared",
                "        target: /shared",
                "        read_only: true"));
        List<VolumeSpec> v = f.services().get("web").volumes();
        assertEquals(Path.of("/tmp/My_Project/conf/site.conf"), v.get(0).resolved());
        assertTrue(v.get(0).readOnly());
        assertEquals("volume", v.get(1).type());
        assertNull(v.get(1).resolved());
        assertEquals("/var/cache", v.get(2).target());
        assertEquals(Path.of("/tmp/shared"), v.get(3).resolved());
        assertTrue(v.get(3).readOnly());
    }

    @Test
    void nonNetworkingKeysAreAcceptedSilentlyAndProfilesSkipServices() {
        ComposeFile f = parse(String.join("\n",
                "x-common: &common",
                "  image: nginx",
                "  restart: always",
                "services:",
                "  web:",
                "    <<: *common",
                "    environment: {A: b}",
                "    healthcheck: {test: [CMD, true]}",
                "    labels: [a=b]",
                "    build: .",
                "  debug:",
                "    image: busybox",
                "    profiles: [debug]",
                "volumes: {data: {}}",
                "secrets: {s: {file: ./s}}"));
        assertEquals("nginx", f.services().get("web").image());
        assertFalse(f.services().containsKey("debug"));
    }

    @Test
    void interpolation() {
        ComposeFile f = ComposeParser.parse("services:\n  web:\n    image: \"nginx:${TAG:-latest}\"\n"
                        + "    ports: [\"${PORT}:80\"]\n    command: echo $$HOME",
                "compose.yaml", Path.of("/tmp/p"), new ComposeParser.Options(null, Map.of("PORT", "8081")));
        assertEquals("nginx:latest", f.services().get("web").image());
        assertEquals(8081, f.services().get("web").ports().get(0).hostStart());
        assertEquals(List.of("echo", "$HOME"), f.services().get("web").command());
    }

    // ---------------------------------------------------------------- malformed files: exact messages

    @Test
    void malformedYaml() {
        assertEquals("compose.yaml:4:4: invalid YAML: while parsing a block mapping: expected <block end>, but found '<block mapping start>'"
                + " — this line is indented differently from the keys before it (YAML nests by indentation)",
                error("services:\n  web:\n    image: nginx\n   ports: []"));
        assertEquals("compose.yaml:1:1: the file is empty; expected a compose file with a 'services:' mapping", error(""));
        assertEquals("compose.yaml:1:1: expected a compose file (a mapping with 'services:'), got a list", error("- a\n- b"));
        assertEquals("compose.yaml:1:1: no 'services:' defined; expected at least one service", error("networks: {}"));
        assertEquals("compose.yaml:3:1: invalid YAML: while scanning for the next token: found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation)",
                error("services:\n  web:\n\timage: nginx"));
        StringBuilder laughs = new StringBuilder("x-a0: &a0 [x, x]\n");
        for (int i = 1; i <= 40; i++) {
            laughs.append("x-a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        }
        String bomb = error(laughs + "services: {a: {image: x, x-simnet: {deep: *a40}}}");
        assertTrue(bomb.matches("compose\\.yaml:\\d+:\\d+: services\\.a\\.x-simnet\\.deep.*: the document expands to too many "
                + "nodes through aliases \\(more than 5000000\\)"), "alias bombs are refused: " + bomb);
    }

    @Test
    void badPorts() {
        assertEquals("compose.yaml:5:9: services.web.ports[0]: expected a port like \"8080:80\" or \"127.0.0.1:8080:80/udp\", got \"80:80:80:80\"",
                error("services:\n  web:\n    image: nginx\n    ports:\n      - '80:80:80:80'"));
        assertEquals("compose.yaml:4:13: services.web.ports[0]: container port 70000 is outside 1-65535",
                error("services:\n  web:\n    image: nginx\n    ports: ['8080:70000']"));
        assertEquals("compose.yaml:4:13: services.web.ports[0]: expected protocol tcp or udp, got \"icmp\"",
                error("services:\n  web:\n    image: nginx\n    ports: ['80/icmp']"));
        assertEquals("compose.yaml:4:13: services.web.ports[0]: host port range 8000-8010 and container port range 80-85 differ in size",
                error("services:\n  web:\n    image: nginx\n    ports: ['8000-8010:80-85']"));
        assertEquals("compose.yaml:4:13: services.web.ports[0]: IPv6 host addresses are not modelled by simnet yet, got \"[::1]:80:80\"",
                error("services:\n  web:\n    image: nginx\n    ports: ['[::1]:80:80']"));
        assertEquals("compose.yaml:4:13: services.web.ports[0]: a port in long syntax needs 'target:' (the container port)",
                error("services:\n  web:\n    image: nginx\n    ports: [{published: 80}]"));
    }

    @Test
    void unmodelledNetworkingFeaturesNameTheirKeyAndLine() {
        assertEquals("compose.yaml:5:13: networks.n.driver: network driver \"overlay\" is not modelled by simnet (only \"bridge\" is)",
                error("services:\n  a: {image: nginx, networks: [n]}\nnetworks:\n  n:\n    driver: overlay"));
        assertEquals("compose.yaml:5:18: networks.n.enable_ipv6: IPv6 is not modelled by simnet yet (remove enable_ipv6 or set it to false)",
                error("services:\n  a: {image: nginx, networks: [n]}\nnetworks:\n  n:\n    enable_ipv6: true"));
        assertEquals("compose.yaml:7:19: networks.n.ipam.config[0].subnet: IPv6 subnets are not modelled by simnet yet",
                error("services:\n  a: {image: nginx, networks: [n]}\nnetworks:\n  n:\n    ipam:\n      config:\n        - subnet: 'fd00::/64'"));
        assertEquals("compose.yaml:6:23: services.a.networks.n.ipv6_address: IPv6 is not modelled by simnet yet (remove ipv6_address)",
                error("services:\n  a:\n    image: nginx\n    networks:\n      n:\n        ipv6_address: 'fd00::5'\nnetworks: {n: {}}"));
        assertEquals("compose.yaml:5:13: networks.n.driver: network driver \"macvlan\" is not modelled by simnet (only \"bridge\" is)",
                error("services:\n  a: {image: nginx, networks: [n]}\nnetworks:\n  n:\n    driver: macvlan"));
    }

    @Test
    void semanticErrorsPointAtTheOffendingNode() {
        assertEquals("compose.yaml:5:19: services.b.network_mode: network_mode refers to unknown service \"nope\" (services: a, b)",
                error("services:\n  a: {image: nginx}\n  b:\n    image: nginx\n    network_mode: service:nope"));
        assertEquals("compose.yaml:5:18: services.b.depends_on[0]: service \"b\" depends on undefined service \"db\" (services: a, b)",
                error("services:\n  a: {image: nginx}\n  b:\n    image: nginx\n    depends_on: [db]"));
        assertEquals("compose.yaml:4:13: services.b.links[0]: link to undefined service \"x\" (services: a, b)",
                error("services:\n  a: {image: nginx}\n  b:\n    links: [x]\n    image: nginx"));
        assertEquals("compose.yaml:2:32: services.a.networks[0]: service \"a\" refers to undefined network \"back\" (no top-level 'networks:' defined)",
                error("services:\n  a: {image: nginx, networks: [back]}"));
        assertEquals("compose.yaml:5:7: services.b.ports[0]: host port 0.0.0.0:8080/tcp of b is already published by a",
                error("services:\n  a: {image: nginx, ports: ['8080:80']}\n  b:\n    ports:\n      - 8080:81\n    image: nginx"
                        .replace("    ports:\n      - 8080:81", "    ports:\n    - 8080:81")));
        assertEquals("compose.yaml:3:29: services.b.ports[0]: host port 127.0.0.1:8080/tcp of b is already published by a",
                error("services:\n  a: {image: nginx, ports: ['8080:80']}\n  b: {image: nginx, ports: ['127.0.0.1:8080:80']}"));
        assertEquals("compose.yaml:2:52: services.a.ports[0]: host port 0.0.0.0:8080/tcp of a (replica 2) is already published by a (replica 1)",
                error("services:\n  a: {image: nginx, deploy: {replicas: 2}, ports: ['8080:80']}"));
        assertEquals("compose.yaml:6:7: services.c.depends_on.a: dependency cycle detected: a -> b -> c -> a",
                error("services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [c]}\n  c:\n    depends_on:\n      a: {condition: service_started}\n    image: x"));
        assertEquals("compose.yaml:5:19: services.b.network_mode: service \"b\" declares mutually exclusive 'network_mode' and 'networks'",
                error("services:\n  a: {image: nginx}\n  b:\n    image: nginx\n    network_mode: service:a\n    networks: [default]"));
        assertEquals("compose.yaml:5:12: services.b.ports: conflicting options: port publishing and network_mode \"service:a\" (publish the ports on the service that owns the namespace)",
                error("services:\n  a: {image: nginx}\n  b:\n    image: nginx\n    ports: ['80:80']\n    network_mode: service:a"));
    }

    @Test
    void addressErrors() {
        String nets = "\nnetworks:\n  n:\n    ipam:\n      config:\n        - subnet: 172.28.0.0/16";
        assertEquals("compose.yaml:5:7: services.a.networks.n: ipv4_address 10.0.0.5 is outside the subnet 172.28.0.0/16 of network \"n\"",
                error("services:\n  a:\n    image: nginx\n    networks:\n      n: {ipv4_address: 10.0.0.5}" + nets));
        assertEquals("compose.yaml:8:7: services.b.networks.n: ipv4_address 172.28.0.5 is already taken by service \"a\" on network \"n\"",
                error("services:\n  a:\n    image: nginx\n    networks: {n: {ipv4_address: 172.28.0.5}}\n  b:\n    image: nginx\n    networks:\n      n: {ipv4_address: 172.28.0.5}" + nets));
        assertEquals("compose.yaml:5:7: services.a.networks.n: ipv4_address 172.28.0.1 is the gateway of network \"n\"",
                error("services:\n  a:\n    image: nginx\n    networks:\n      n: {ipv4_address: 172.28.0.1}" + nets));
        assertEquals("compose.yaml:5:7: services.a.networks.n: ipv4_address 172.18.0.9 needs a network with a configured subnet: add ipam.config[0].subnet to network \"n\" (Docker: user specified IP address is supported only when connecting to networks with user configured subnets)",
                error("services:\n  a:\n    image: nginx\n    networks:\n      n: {ipv4_address: 172.18.0.9}\nnetworks: {n: {}}"));
        assertEquals("compose.yaml:7:17: networks.n.ipam.config[0].subnet: expected a subnet like \"172.28.0.0/16\", got \"172.28.0.0\"",
                error("services:\n  a: {image: nginx, networks: [n]}\nnetworks:\n  n:\n    ipam:\n      config: [{subnet: 172.28.0.0}]".replace("config: [{subnet: 172.28.0.0}]", "config:\n        - subnet: 172.28.0.0").replace("\n        - subnet", "\n      - subnet")));
    }

    @Test
    void dockerContainerNamesNeedTwoCharacters() {
        assertEquals("compose.yaml:3:21: services.web.container_name: invalid container name \"w\": expected [a-zA-Z0-9][a-zA-Z0-9_.-]+",
                error("services:\n  web:\n    container_name: w\n    image: nginx"));
    }

    @Test
    void keyErrors() {
        assertEquals("compose.yaml:4:5: services.web.imgae: unknown service key (not in the compose specification)",
                error("services:\n  web:\n    image: nginx\n    imgae: nginx"));
        assertEquals("compose.yaml:3:1: servics: unknown top-level key (expected services, networks, volumes, configs, secrets, name, version or x-…)",
                error("services:\n  web: {image: nginx}\nservics: {}"));
        assertEquals("compose.yaml:4:5: services.web.image: duplicate key (already defined at line 3)",
                error("services:\n  web:\n    image: nginx\n    image: httpd"));
        assertEquals("compose.yaml:2:3: services.web: service \"web\" has neither 'image' nor 'build'",
                error("services:\n  web:\n    ports: ['80']"));
        assertEquals("compose.yaml:3:19: services.web.network_mode: expected bridge, host, none, \"service:NAME\" or \"container:NAME\", got \"bogus\"",
                error("services:\n  web:\n    network_mode: bogus\n    image: nginx"));
        assertEquals("compose.yaml:3:12: services.web.scale: scale (2) and deploy.replicas (3) disagree; set only one",
                error("services:\n  web:\n    scale: 2\n    deploy: {replicas: 3}\n    image: nginx"));
        assertEquals("compose.yaml:3:21: services.web.container_name: container_name \"ww\" cannot be used with 2 replicas (container names must be unique)",
                error("services:\n  web:\n    container_name: ww\n    scale: 2\n    image: nginx"));
        assertEquals("compose.yaml:3:19: services.web.extra_hosts[0]: expected \"host:address\" or \"host=address\", got \"nohost\"",
                error("services:\n  web:\n    extra_hosts: [nohost]\n    image: nginx"));
        assertEquals("compose.yaml:3:10: services.web.dns: expected a DNS server address like \"8.8.8.8\", got \"dns.google\"",
                error("services:\n  web:\n    dns: dns.google\n    image: nginx"));
        assertEquals("compose.yaml:3:12: services.web.image: required variable TAG is missing a value: set TAG",
                error("services:\n  web:\n    image: \"nginx:${TAG:?set TAG}\""));
    }
}
