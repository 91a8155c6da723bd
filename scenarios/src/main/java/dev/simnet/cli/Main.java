package dev.simnet.cli;

/**
 * Placeholder entry point of the {@code simnet} command (the real picocli CLI replaces it): prints
 * usage, exits 0 for {@code --help} and 2 for anything else.
 */
public final class Main {
    private Main() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.err.println("usage: simnet <command> [options]   (commands arrive with the CLI; see README.md)");
        boolean help = args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
        if (!help && args.length > 0) {
            System.err.println("simnet: unknown command '" + args[0] + "'");
        }
        System.exit(help ? 0 : 2);
    }
}
