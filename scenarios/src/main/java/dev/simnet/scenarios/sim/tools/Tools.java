package dev.simnet.scenarios.sim.tools;

import java.util.LinkedHashMap;
import java.util.Map;

/** The registry of tools runnable in the simulator, by command name. */
public final class Tools {
    private Tools() {
    }

    /** A fresh registry of every tool. */
    public static Map<String, Tool> registry() {
        Map<String, Tool> m = new LinkedHashMap<>();
        m.put("ping", new Ping());
        m.put("curl", new Curl());
        m.put("nc", new Nc());
        m.put("netcat", new Nc());
        m.put("traceroute", new Traceroute());
        m.put("nslookup", DnsTools.NSLOOKUP);
        m.put("dig", DnsTools.DIG);
        StateTools.register(m);
        return m;
    }
}
