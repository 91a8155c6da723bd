package dev.simnet.scenarios.sim.tools;

import java.util.List;

/**
 * A command runnable inside a simulated namespace ({@code curl}, {@code ping}, {@code ip}…). A tool
 * starts its work on the simulated sockets and calls {@link ToolContext#exit} when it is done — at
 * once for state tools, after virtual time has passed for network tools. It never blocks.
 */
@FunctionalInterface
public interface Tool {
    /** Starts the command; {@code argv.get(0)} is the command name. */
    void run(ToolContext ctx, List<String> argv);
}
