package dev.simnet.host;

/**
 * The simulated process holding a socket, as {@code ss -p} shows it ({@code users:(("nginx",pid=1,fd=6))}, the
 * process's {@code comm}) and {@code netstat -p} ({@code PID/Program name}, from the first string of
 * {@code /proc/PID/cmdline}, {@code argv0} here: a process that rewrites its title, as nginx does, shows
 * that title there).
 */
public record SocketOwner(String command, int pid, int fd, String argv0) {
    /** netstat's {@code PID/Program name} is built in a 20-byte buffer: at most 19 characters. */
    private static final int NETSTAT_PROGNAME_MAX = 19;

    /** An owner whose command line starts with its command name. */
    public SocketOwner(String command, int pid, int fd) {
        this(command, pid, fd, command);
    }

    /** The {@code ("cmd",pid=N,fd=M)} element of ss's {@code users:(...)} list. */
    public String ssUser() {
        return "(\"" + command + "\",pid=" + pid + ",fd=" + fd + ")";
    }

    /** The same owner as another PID namespace numbers it. */
    public SocketOwner withPid(int otherPid) {
        return new SocketOwner(command, otherPid, fd, argv0);
    }

    /**
     * netstat's {@code PID/Program name} column, as net-tools builds it: the PID, a slash and {@code argv0}
     * (its basename when it is an absolute path), cut to 19 characters ({@code 1/nginx: master pro}).
     */
    public String netstatProgram() {
        String name = argv0.startsWith("/") ? argv0.substring(argv0.lastIndexOf('/') + 1) : argv0;
        String s = pid + "/" + name;
        return s.length() > NETSTAT_PROGNAME_MAX ? s.substring(0, NETSTAT_PROGNAME_MAX) : s;
    }
}
