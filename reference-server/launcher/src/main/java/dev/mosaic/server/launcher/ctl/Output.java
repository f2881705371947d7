package dev.mosaic.server.launcher.ctl;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonNull;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.proto.query.Field;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Row;
import dev.mosaic.proto.query.Rows;
import dev.mosaic.proto.topo.Tablet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** How {@code mosaic ctl} prints answers. */
final class Output {
    /**
     * vtctldclient prints protobuf JSON with the proto field names and every field, set or not, so
     * scripts find each key; so do we.
     */
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().preservingProtoFieldNames().alwaysPrintFieldsWithNoPresence();

    private Output() {
    }

    /** {@code message} as indented protobuf JSON. */
    static String json(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail; the Vtctld messages have none.
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Several messages as one JSON array. */
    static String jsonArray(List<? extends MessageOrBuilder> messages) {
        if (messages.isEmpty()) {
            return "[]";
        }
        return messages.stream().map(m -> indent(json(m))).collect(Collectors.joining(",\n", "[\n", "\n]"));
    }

    private static String indent(String s) {
        return s.lines().map(l -> "  " + l).collect(Collectors.joining("\n"));
    }

    /** JSON text (a vschema) re-indented; as it came if it is not JSON. */
    static String prettyJson(String text) {
        if (text.isEmpty()) {
            return "{}";
        }
        try {
            return Json.parse(text).toPrettyJson();
        } catch (RuntimeException e) {
            return text;
        }
    }

    /**
     * One tablet as vtctldclient's {@code GetTablets} prints it: alias, keyspace, shard, type,
     * hostname:web-port, mysql-host:mysql-port, tags, and the primary term start time
     * ({@code <null>} unless it is a primary).
     */
    static String tabletLine(Tablet t) {
        Map<String, String> tags = new TreeMap<>(t.getTagsMap());
        String term = t.hasPrimaryTermStartTime() && t.getPrimaryTermStartTime().getSeconds() > 0
                ? Instant.ofEpochSecond(t.getPrimaryTermStartTime().getSeconds()).toString() : "<null>";
        return String.join(" ", Converters.alias(t.getAlias()), t.getKeyspace(), t.getShard(),
                t.getType().name().toLowerCase(Locale.ROOT),
                t.getHostname() + ":" + t.getPortMapOrDefault("vt", 0),
                t.getMysqlHostname() + ":" + t.getMysqlPort(),
                tags.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" ", "[", "]")),
                term);
    }

    /** A result as the mysql client draws it; a statement without columns prints its counts. */
    static String table(QueryResult r) {
        if (r.getFieldsCount() == 0) {
            return "rows affected: " + r.getRowsAffected() + (r.getInsertId() == 0 ? "" : ", insert id: "
                    + r.getInsertId()) + (r.getInfo().isEmpty() ? "" : " (" + r.getInfo() + ")");
        }
        List<String> names = r.getFieldsList().stream().map(Field::getName).toList();
        List<List<String>> rows = new ArrayList<>();
        int[] width = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            width[i] = names.get(i).length();
        }
        for (Row row : r.getRowsList()) {
            List<String> cells = new ArrayList<>();
            List<byte[]> values = Rows.decode(row);
            for (int i = 0; i < values.size(); i++) {
                String v = values.get(i) == null ? "NULL" : new String(values.get(i), StandardCharsets.UTF_8);
                cells.add(v);
                if (i < width.length) {
                    width[i] = Math.max(width[i], v.length());
                }
            }
            rows.add(cells);
        }
        StringBuilder sep = new StringBuilder("+");
        for (int w : width) {
            sep.append("-".repeat(w + 2)).append('+');
        }
        StringBuilder sb = new StringBuilder();
        sb.append(sep).append('\n').append(line(names, width)).append('\n').append(sep).append('\n');
        for (List<String> row : rows) {
            sb.append(line(row, width)).append('\n');
        }
        sb.append(sep);
        return sb.toString();
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < width.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            sb.append(' ').append(c).append(" ".repeat(width[i] - c.length())).append(" |");
        }
        return sb.toString();
    }

    /**
     * A result as JSON with readable values (the protobuf form packs each row into one base64
     * string): {@code {"fields": [{"name", "type"}], "rows_affected", "insert_id", "rows": [[...]]}},
     * NULL as {@code null}.
     */
    static String resultJson(QueryResult r) {
        List<Json> fields = new ArrayList<>();
        for (Field f : r.getFieldsList()) {
            fields.add(JsonObject.builder().put("name", f.getName()).put("type", f.getType().name()).build());
        }
        List<Json> rows = new ArrayList<>();
        for (Row row : r.getRowsList()) {
            List<Json> cells = new ArrayList<>();
            for (byte[] v : Rows.decode(row)) {
                cells.add(v == null ? JsonNull.INSTANCE : Json.of(new String(v, StandardCharsets.UTF_8)));
            }
            rows.add(new JsonArray(cells));
        }
        return JsonObject.builder()
                .put("fields", new JsonArray(fields))
                .put("rows_affected", r.getRowsAffected())
                .put("insert_id", r.getInsertId())
                .put("rows", new JsonArray(rows))
                .build().toPrettyJson();
    }
}
