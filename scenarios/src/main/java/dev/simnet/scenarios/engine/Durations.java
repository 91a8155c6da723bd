package dev.simnet.scenarios.engine;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Parsing and printing of durations ({@code 5s}, {@code 250ms}, {@code 1m30s}, {@code 10us}),
 * rates ({@code 10mbit}, {@code 1gbit}, {@code 512kbit}, {@code 1mbps} = megabytes as tc reads it)
 * and percentages ({@code 5%}, {@code 0.5%}).
 */
public final class Durations {
    private Durations() {
    }

    /** Nanoseconds in {@code text}; throws {@link IllegalArgumentException} with what was expected. */
    public static long parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("expected a duration like \"5s\" or \"250ms\", got \"\"");
        }
        long total = 0;
        int i = 0;
        while (i < t.length()) {
            int st = i;
            while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
                i++;
            }
            int us = i;
            while (i < t.length() && Character.isLetter(t.charAt(i))) {
                i++;
            }
            if (st == us || us == i) {
                throw new IllegalArgumentException("expected a duration like \"5s\", \"250ms\" or \"1m30s\", got \"" + text + "\"");
            }
            BigDecimal n;
            try {
                n = new BigDecimal(t.substring(st, us));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a duration like \"5s\", got \"" + text + "\"");
            }
            long unit;
            switch (t.substring(us, i)) {
                case "ns": unit = 1L; break;
                case "us": case "µs": unit = 1_000L; break;
                case "ms": unit = 1_000_000L; break;
                case "s": case "sec": unit = 1_000_000_000L; break;
                case "m": case "min": unit = 60_000_000_000L; break;
                case "h": unit = 3_600_000_000_000L; break;
                default:
                    throw new IllegalArgumentException("unknown duration unit \"" + t.substring(us, i)
                            + "\" in \"" + text + "\" (expected ns, us, ms, s, m or h)");
            }
            total += n.multiply(BigDecimal.valueOf(unit)).longValue();
        }
        return total;
    }

    /** Formats nanoseconds compactly ({@code 20ms}, {@code 1.5s}). */
    public static String format(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos >= 1_000_000_000L) {
            return BigDecimal.valueOf(nanos).movePointLeft(9).stripTrailingZeros().toPlainString() + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos >= 1_000_000L) {
            return BigDecimal.valueOf(nanos).movePointLeft(6).stripTrailingZeros().toPlainString() + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }

    /** Bits per second in {@code text} ({@code 10mbit}, {@code 100kbit}, {@code 1gbit}, {@code 500bit}, {@code 1mbps}). */
    public static long parseRate(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("expected a rate like \"10mbit\", got \"" + text + "\"");
        }
        BigDecimal n = new BigDecimal(t.substring(0, i));
        long mul;
        switch (t.substring(i)) {
            case "bit": case "": mul = 1; break;
            case "kbit": mul = 1_000; break;
            case "mbit": mul = 1_000_000; break;
            case "gbit": mul = 1_000_000_000; break;
            case "bps": mul = 8; break;
            case "kbps": mul = 8_000; break;
            case "mbps": mul = 8_000_000; break;
            case "gbps": mul = 8_000_000_000L; break;
            default:
                throw new IllegalArgumentException("unknown rate unit in \"" + text + "\" (expected bit, kbit, mbit, gbit, or bps/kbps/mbps for bytes)");
        }
        long v = n.multiply(BigDecimal.valueOf(mul)).longValue();
        if (v <= 0) {
            throw new IllegalArgumentException("rate must be positive, got \"" + text + "\"");
        }
        return v;
    }

    /** Formats a rate as tc does ({@code 10Mbit}). */
    public static String formatRate(long bps) {
        if (bps % 1_000_000_000L == 0) {
            return bps / 1_000_000_000L + "Gbit";
        }
        if (bps % 1_000_000L == 0) {
            return bps / 1_000_000L + "Mbit";
        }
        if (bps % 1_000L == 0) {
            return bps / 1_000L + "Kbit";
        }
        return bps + "bit";
    }

    /** A percentage ({@code "5%"}, {@code "0.1%"} or a bare number meaning percent) in 0–100. */
    public static double parsePercent(String text) {
        String t = text.trim();
        if (t.endsWith("%")) {
            t = t.substring(0, t.length() - 1).trim();
        }
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a percentage like \"5%\", got \"" + text + "\"");
        }
        if (v < 0 || v > 100 || Double.isNaN(v)) {
            throw new IllegalArgumentException("percentage must be between 0% and 100%, got \"" + text + "\"");
        }
        return v;
    }

    /** Formats a percentage ({@code 5%}, {@code 0.5%}). */
    public static String formatPercent(double pct) {
        return BigDecimal.valueOf(pct).stripTrailingZeros().toPlainString() + "%";
    }
}
