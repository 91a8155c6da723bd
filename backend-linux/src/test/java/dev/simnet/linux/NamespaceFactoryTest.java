package dev.simnet.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.linux.ffi.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Named namespaces from one factory: distinct namespaces whose mount points are hard links of one file. */
class NamespaceFactoryTest {
    @Test
    void mountPointsOfOneFactoryShareOneInodeButNameDistinctNamespaces() throws Exception {
        Kernel.assumeAvailable();
        RunState state = RunState.create();
        List<String> names = List.of(state.name("a"), state.name("b"), state.name("c"));
        names.forEach(state::recordNetns);
        List<NetNamespace> made = new ArrayList<>();
        try (NamespaceFactory f = new NamespaceFactory(1)) {
            for (String n : names) {
                made.add(f.create(n, Map.of("net.ipv6.conf.default.disable_ipv6", "1")));
            }
            // the next free ifindex was found without the link dump; the dump agrees
            for (NetNamespace ns : made) {
                assertEquals(ns.rtnl().maxIfindex() + 1, ns.allocateIfindex(), "next ifindex in " + ns.name());
            }
            // each name resolves (through its mount) to its own namespace
            List<Long> nsInodes = made.stream().map(NetNamespace::inode).toList();
            assertEquals(3, nsInodes.stream().distinct().count(), "namespace inodes " + nsInodes);
            String list = Kernel.run("ip", "netns", "list");
            for (String n : names) {
                assertTrue(list.contains(n), "ip netns list lacks " + n + ":\n" + list);
                assertTrue(Kernel.run("ip", "-n", n, "link", "show", "lo").contains("UP"), "lo not up in " + n);
            }
            // under the mounts: one file with three names
            Path a = NetNamespace.NETNS_RUN_DIR.resolve(names.get(0));
            assertEquals(0, Native.umount2(a.toString(), Native.MNT_DETACH));
            assertEquals(3, ((Number) Files.getAttribute(a, "unix:nlink")).intValue(), "hard links of the mount point");
            assertNotEquals(nsInodes.get(0), NetNamespace.inodeOf(a));
        } finally {
            made.forEach(NetNamespace::close);
            state.removeEverything();
        }
        String list = Kernel.run("ip", "netns", "list");
        for (String n : names) {
            assertFalse(list.contains(n), "left behind: " + n);
            assertFalse(Files.exists(NetNamespace.NETNS_RUN_DIR.resolve(n)), "mount point left: " + n);
        }
    }
}
