package dev.simnet.host;

/**
 * The simulated process holding a socket, as {@code ss -p} shows it:
 * {@code users:(("nginx",pid=1,fd=6))} and {@code netstat -p} as {@code 1/nginx}.
 */
public record SocketOwner(String command, int pid, int fd) {
    /** The {@code ("cmd",pid=N,fd=M)} element of ss's {@code users:(...)} list. */
    public String ssUser() {
        return "(\"" + command + "\",pid=" + pid + ",fd=" + fd + ")";
    }

    /** netstat's {@code PID/Program name} column ({@code 1/nginx}); the program name is cut at 15 characters like netstat. */
    public String netstatProgram() {
        String c = command.length() > 15 ? command.substring(0, 15) : command;
        return pid + "/" + c;
    }
}
