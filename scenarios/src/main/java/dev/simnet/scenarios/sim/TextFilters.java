package dev.simnet.scenarios.sim;

import dev.simnet.scenarios.engine.ExecResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The text filters a pipeline may end with ({@code lsns -t net | grep nginx}): {@code grep}
 * ({@code -v -i -c -q -E -F -w}), {@code head}/{@code tail} ({@code -n N}, {@code -N}),
 * {@code wc -l}, {@code sort}, {@code uniq} and {@code cat}. The pipeline's exit code is the last
 * stage's, as a shell without {@code pipefail} reports it.
 */
public final class TextFilters {
    private TextFilters() {
    }

    /**
     * Runs a shell pipeline: {@code argv} split at {@code |}, the first command run by {@code first},
     * each later stage filtering the previous output with {@link #apply}. Every backend's exec uses
     * it, so {@code cmd | grep x} means the same everywhere.
     */
    public static ExecResult pipeline(List<String> argv, boolean inContainer,
                                      java.util.function.Function<List<String>, ExecResult> first) {
        List<List<String>> stages = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String a : argv) {
            if (a.equals("|")) {
                stages.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(a);
            }
        }
        stages.add(cur);
        ExecResult r = first.apply(stages.get(0));
        for (int i = 1; i < stages.size(); i++) {
            r = apply(stages.get(i), r, inContainer);
        }
        return r;
    }

    /**
     * {@code argv} without leading {@code sudo} (and its {@code -E}): the scenario's host shell is
     * root, so sudo changes nothing (and there is no sudo binary in the sandbox).
     */
    public static List<String> withoutSudo(List<String> argv) {
        int i = 0;
        while (i < argv.size() && (argv.get(i).equals("sudo") || argv.get(i).equals("-E"))) {
            i++;
        }
        return new ArrayList<>(argv.subList(i, argv.size()));
    }

    /**
     * Filters {@code in}'s stdout through the stage {@code argv} ({@code grep nginx}); stderr passes
     * through, the exit code is the stage's.
     */
    public static ExecResult apply(List<String> argv, ExecResult in, boolean inContainer) {
        if (argv.isEmpty()) {
            return new ExecResult(2, "", in.stderr() + "sh: 1: Syntax error: \"|\" unexpected\n");
        }
        List<String> lines = new ArrayList<>(Arrays.asList(in.stdout().split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        String err = in.stderr();
        switch (argv.get(0)) {
            case "grep": case "egrep": case "fgrep":
                return grep(argv, lines, err);
            case "head": case "tail": {
                int n = 10;
                for (int i = 1; i < argv.size(); i++) {
                    String a = argv.get(i);
                    if (a.equals("-n") && i + 1 < argv.size()) {
                        n = Integer.parseInt(argv.get(++i));
                    } else if (a.matches("-n?\\d+")) {
                        n = Integer.parseInt(a.replaceAll("\\D", ""));
                    }
                }
                List<String> out = argv.get(0).equals("head") ? lines.subList(0, Math.min(n, lines.size()))
                        : lines.subList(Math.max(0, lines.size() - n), lines.size());
                return new ExecResult(0, join(out), err);
            }
            case "wc":
                if (argv.contains("-l")) {
                    return new ExecResult(0, lines.size() + "\n", err);
                }
                return new ExecResult(0, String.format(Locale.ROOT, "%7d %7d %7d%n", lines.size(),
                        in.stdout().isBlank() ? 0 : in.stdout().trim().split("\\s+").length, in.stdout().length()), err);
            case "sort": {
                List<String> out = new ArrayList<>(lines);
                out.sort(null);
                if (argv.contains("-r")) {
                    java.util.Collections.reverse(out);
                }
                return new ExecResult(0, join(out), err);
            }
            case "uniq": {
                List<String> out = new ArrayList<>();
                for (String l : lines) {
                    if (out.isEmpty() || !out.get(out.size() - 1).equals(l)) {
                        out.add(l);
                    }
                }
                return new ExecResult(0, join(out), err);
            }
            case "cat":
                return new ExecResult(0, in.stdout(), err);
            default:
                return new ExecResult(127, "", err + "sh: 1: " + argv.get(0) + ": not found\n");
        }
    }

    private static ExecResult grep(List<String> argv, List<String> lines, String err) {
        boolean invert = false;
        boolean ignoreCase = false;
        boolean count = false;
        boolean quiet = false;
        boolean fixed = argv.get(0).equals("fgrep");
        boolean word = false;
        String pattern = null;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-e") && i + 1 < argv.size()) {
                pattern = argv.get(++i);
            } else if (a.startsWith("-") && a.length() > 1 && pattern == null) {
                for (char c : a.substring(1).toCharArray()) {
                    switch (c) {
                        case 'v': invert = true; break;
                        case 'i': ignoreCase = true; break;
                        case 'c': count = true; break;
                        case 'q': quiet = true; break;
                        case 'F': fixed = true; break;
                        case 'w': word = true; break;
                        default: break;
                    }
                }
            } else if (pattern == null) {
                pattern = a;
            }
        }
        if (pattern == null) {
            return new ExecResult(2, "", err + "Usage: grep [OPTION]... PATTERNS [FILE]...\n");
        }
        String re = fixed ? Pattern.quote(pattern) : pattern.replace("\\|", "|").replace("\\(", "(").replace("\\)", ")");
        if (word) {
            re = "\\b(?:" + re + ")\\b";
        }
        Pattern p;
        try {
            p = Pattern.compile(re, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            return new ExecResult(2, "", err + "grep: Unmatched ( or \\(\n");
        }
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (p.matcher(l).find() != invert) {
                out.add(l);
            }
        }
        int code = out.isEmpty() ? 1 : 0;
        if (quiet) {
            return new ExecResult(code, "", err);
        }
        if (count) {
            return new ExecResult(code, out.size() + "\n", err);
        }
        return new ExecResult(code, join(out), err);
    }

    private static String join(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
