package dev.mosaic.server.topo;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonException;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.json.JsonString;
import dev.mosaic.proto.topo.LockDescriptor;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Renders stored bytes for operators: a known record as JSON (proto field names, as Vitess's
 * tools print them), with two readability changes over plain protobuf JSON: key range bounds are
 * hex (Mosaic's keyspace-id notation) instead of base64, and a vschema's JSON text is inlined as
 * an object rather than an escaped string.
 */
public final class RecordJson {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames();
    private static final JsonFormat.Printer COMPACT =
            JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();

    private RecordJson() {
    }

    /** A record as a JSON tree (see the type's documentation). */
    public static Json toJson(Message record) {
        try {
            return readable(Json.parse(PRINTER.print(record)), false);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + record.getDescriptorForType().getFullName(), e);
        }
    }

    /**
     * The bytes stored at {@code path} as a JSON tree: decoded by the record type the path names,
     * else as a JSON document if they are one, else as a string (UTF-8 text) or
     * {@code {"hex": "..."}} (binary).
     */
    public static Json decode(String path, byte[] bytes) {
        var type = RecordType.forPath(path);
        if (type.isPresent()) {
            return toJson(type.get().parse(path, bytes));
        }
        String text = utf8(bytes);
        if (text == null) {
            return JsonObject.builder().put("hex", HexFormat.of().formatHex(bytes)).build();
        }
        try {
            return Json.parse(text);
        } catch (JsonException e) {
            return Json.of(text);
        }
    }

    /** A lock descriptor as the one-line JSON written into a lock's contents. */
    public static String lockContents(LockDescriptor descriptor) {
        try {
            return COMPACT.print(descriptor);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print lock descriptor", e);
        }
    }

    /** Parses lock contents written by {@link #lockContents}. */
    public static LockDescriptor parseLockContents(String contents) throws InvalidProtocolBufferException {
        LockDescriptor.Builder b = LockDescriptor.newBuilder();
        JsonFormat.parser().merge(contents, b);
        return b.build();
    }

    private static String utf8(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                    return null;
                }
            }
            return s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Rewrites key range bounds to hex and inlines vschema JSON text. */
    private static Json readable(Json json, boolean inKeyRange) {
        if (json instanceof JsonObject o) {
            JsonObject.Builder b = JsonObject.builder();
            for (Map.Entry<String, Json> e : o.members().entrySet()) {
                String key = e.getKey();
                Json v = e.getValue();
                if (inKeyRange && (key.equals("start") || key.equals("end")) && v instanceof JsonString s) {
                    b.put(key, HexFormat.of().formatHex(Base64.getDecoder().decode(s.value())));
                } else if (key.equals("json") && v instanceof JsonString s && o.members().size() == 1) {
                    b.put(key, inline(s.value()));
                } else {
                    b.put(key, readable(v, key.equals("key_range")));
                }
            }
            return b.build();
        }
        if (json instanceof JsonArray a) {
            List<Json> out = new ArrayList<>();
            for (Json v : a.elements()) {
                out.add(readable(v, false));
            }
            return new JsonArray(out);
        }
        return json;
    }

    private static Json inline(String text) {
        try {
            return Json.parse(text);
        } catch (JsonException e) {
            return Json.of(text);
        }
    }
}
