package dev.mosaic.server.gate.executor;

import java.util.regex.Pattern;

/** SQL LIKE patterns as regular expressions, for what the gate filters itself (SHOW ... LIKE, COM_FIELD_LIST). */
public final class LikePattern {
    private LikePattern() {
    }

    /**
     * {@code pattern} as a regex matching whole strings: {@code %} any run, {@code _} one character,
     * {@code \} escapes the next character, everything else literal.
     *
     * @param caseInsensitive whether letters match regardless of case (column names do in MySQL;
     *                        database and table names on Linux do not)
     */
    public static Pattern compile(String pattern, boolean caseInsensitive) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        int flags = Pattern.DOTALL | (caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(re.toString(), flags);
    }
}
