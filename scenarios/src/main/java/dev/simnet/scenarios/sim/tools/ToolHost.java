package dev.simnet.scenarios.sim.tools;

import dev.simnet.sched.Scheduler;

/**
 * What a running tool needs from the engine it runs in, beyond its namespace: the scheduler its
 * timers go on (virtual time in the simulator, wall-clock-driven on the TAP backend's loop) and the
 * host PID of a container's main process (for {@code ss -p}/{@code netstat -p} inside a container).
 */
public interface ToolHost {
    /** The scheduler the tool's timers and sockets run on. */
    Scheduler scheduler();

    /** The host PID of {@code container}'s main process, or 0 when there is none (or it is not known). */
    int hostPid(String container);
}
