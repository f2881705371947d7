package dev.mosaic.server.process.status;

/** The bits of HTML the status pages share. */
public final class Html {
    private Html() {
    }

    /** {@code s} with {@code < > & " '} escaped, for text and attribute values. */
    public static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** A two-cell table row: {@code name} (HTML) as header, {@code htmlValue} (already escaped) as value. */
    public static String row(String name, String htmlValue) {
        return "<tr><th>" + name + "</th><td>" + htmlValue + "</td></tr>";
    }
}
