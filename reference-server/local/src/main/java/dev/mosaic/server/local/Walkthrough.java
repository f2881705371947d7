package dev.mosaic.server.local;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The end state of Vitess's local walkthrough, as resources under
 * {@code dev/mosaic/server/local/walkthrough/}: {@code <keyspace>-schema.sql} and
 * {@code <keyspace>-vschema.json} for {@code commerce} and {@code customer}. Other tests read the
 * same files.
 */
public final class Walkthrough {
    /** The resource directory, for readers outside this class. */
    public static final String RESOURCE_DIR = "/dev/mosaic/server/local/walkthrough/";

    private Walkthrough() {
    }

    /** The schema file's text for {@code keyspace}. */
    public static String schemaSql(String keyspace) {
        return resource(keyspace + "-schema.sql");
    }

    /** The vschema's JSON for {@code keyspace}. */
    public static String vschemaJson(String keyspace) {
        return resource(keyspace + "-vschema.json");
    }

    /**
     * The schema's statements, one per entry: {@code --} comment lines dropped, split at a
     * {@code ;} that ends a line (the files put one statement per such block).
     */
    public static List<String> schemaStatements(String keyspace) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : schemaSql(keyspace).split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            if (!cur.isEmpty()) {
                cur.append('\n');
            }
            cur.append(line.stripTrailing());
            if (t.endsWith(";")) {
                out.add(cur.substring(0, cur.length() - 1).strip());
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = Walkthrough.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new MosaicException(ErrorCode.NOT_FOUND, "no walkthrough resource " + RESOURCE_DIR + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.INTERNAL, "cannot read " + RESOURCE_DIR + name + ": " + e.getMessage(), e);
        }
    }
}
