package dev.simnet.scenarios.sim.tools;

import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * Starts {@code tool} with {@code argv} in {@code ctx} now (on the thread that owns the
     * scheduler); bad arguments that make it throw end the command with exit 2 and the reason.
     */
    public static void launch(Tool tool, ToolContext ctx, List<String> argv) {
        try {
            tool.run(ctx, argv);
        } catch (RuntimeException e) {
            ctx.err().append(argv.get(0)).append(": ").append(describe(e)).append('\n');
            ctx.exit(2);
        }
    }

    /** A program's error message for {@code e} (a bad number, a missing option argument, …). */
    public static String describe(RuntimeException e) {
        if (e instanceof NumberFormatException nf) {
            return "invalid argument: " + nf.getMessage().replace("For input string: ", "");
        }
        if (e instanceof IndexOutOfBoundsException) {
            return "option requires an argument";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
