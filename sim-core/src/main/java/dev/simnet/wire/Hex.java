package dev.simnet.wire;

import java.util.Locale;

/**
 * Hex dumps for tests and fixtures: parses the output of {@code tcpdump -xx} (offset columns
 * like {@code 0x0010:} are dropped), plain hex with any whitespace, ':' or '-' separators, and
 * {@code #} comments to the end of a line; formats bytes back as plain or tcpdump-style hex.
 */
public final class Hex {
    private Hex() {
    }

    /** The bytes a hex dump denotes; throws {@link IllegalArgumentException} naming the bad character. */
    public static byte[] parse(String dump) {
        StringBuilder digits = new StringBuilder(dump.length());
        for (String line : dump.split("\n", -1)) {
            int hash = line.indexOf('#');
            String l = hash >= 0 ? line.substring(0, hash) : line;
            String t = l.stripLeading();
            if (t.startsWith("0x")) {
                int colon = t.indexOf(':');
                if (colon > 0 && t.substring(2, colon).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    t = t.substring(colon + 1);
                }
            }
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (Character.isWhitespace(c) || c == ':' || c == '-') {
                    continue;
                }
                if (Character.digit(c, 16) < 0) {
                    throw new IllegalArgumentException("not a hex digit: '" + c + "' in line '" + line.strip() + "'");
                }
                digits.append(c);
            }
        }
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + digits.length());
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((Character.digit(digits.charAt(2 * i), 16) << 4) | Character.digit(digits.charAt(2 * i + 1), 16));
        }
        return out;
    }

    /** Lower-case hex without separators. */
    public static String format(byte[] b) {
        return format(b, 0, b.length);
    }

    /** Lower-case hex of a range, without separators. */
    public static String format(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int i = off; i < off + len; i++) {
            sb.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
        }
        return sb.toString();
    }

    /** A {@code tcpdump -xx} style dump: 16 bytes a line, offset column, 2-byte groups. */
    public static String dump(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int line = 0; line < len; line += 16) {
            sb.append(String.format(Locale.ROOT, "\t0x%04x: ", line));
            for (int i = line; i < Math.min(line + 16, len); i++) {
                if ((i - line) % 2 == 0) {
                    sb.append(' ');
                }
                sb.append(String.format(Locale.ROOT, "%02x", b[off + i] & 0xff));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
