package dev.mosaic.api.vschema;

import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonBool;
import dev.mosaic.api.json.JsonException;
import dev.mosaic.api.json.JsonNull;
import dev.mosaic.api.json.JsonNumber;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.json.JsonPath;
import dev.mosaic.api.json.JsonString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads protojson-shaped documents strictly, collecting every problem with its path instead of
 * stopping at the first. As protojson does, a field may be spelled in snake_case or lowerCamelCase
 * and {@code null} stands for the field's default.
 */
final class Decoder {
    private final List<VSchemaError> errors = new ArrayList<>();

    /** Parses {@code text} or throws a {@link VSchemaException} locating the malformed JSON. */
    static Json parse(String what, String text) {
        try {
            return Json.parse(text);
        } catch (JsonException e) {
            throw new VSchemaException(what, List.of(new VSchemaError(e.path(),
                    "malformed JSON at line " + e.line() + ", column " + e.column() + ": " + e.reason())));
        }
    }

    void error(String path, String reason) {
        errors.add(new VSchemaError(path, reason));
    }

    void throwIfErrors(String what) {
        if (!errors.isEmpty()) {
            throw new VSchemaException(what, errors);
        }
    }

    /** The fields of a protobuf message read from one JSON object. */
    final class Fields {
        private final Map<String, Json> values = new HashMap<>();
        private final Map<String, String> paths = new HashMap<>();

        Json get(String name) {
            return values.get(name);
        }

        String path(String name) {
            return paths.get(name);
        }

        boolean bool(String name) {
            Json v = values.get(name);
            if (v == null) {
                return false;
            }
            if (v instanceof JsonBool b) {
                return b.value();
            }
            wrongType(paths.get(name), "boolean", v);
            return false;
        }

        String string(String name) {
            Json v = values.get(name);
            return v == null ? "" : Decoder.this.string(v, paths.get(name));
        }

        int int32(String name) {
            Json v = values.get(name);
            if (v == null) {
                return 0;
            }
            if (v instanceof JsonNumber n) {
                try {
                    return n.intValueExact();
                } catch (ArithmeticException e) {
                    error(paths.get(name), "expected a 32-bit integer, got " + n.toJson());
                    return 0;
                }
            }
            wrongType(paths.get(name), "number", v);
            return 0;
        }

        List<String> strings(String name) {
            return list(name, Decoder.this::string);
        }

        <T> List<T> list(String name, BiFunction<Json, String, T> element) {
            Json v = values.get(name);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof JsonArray a)) {
                wrongType(paths.get(name), "array", v);
                return List.of();
            }
            List<T> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                String p = JsonPath.index(paths.get(name), i);
                Json e = a.elements().get(i);
                if (e instanceof JsonNull) {
                    error(p, "null is not allowed in a list");
                    continue;
                }
                T t = element.apply(e, p);
                if (t != null) {
                    out.add(t);
                }
            }
            return out;
        }

        <T> Map<String, T> map(String name, BiFunction<Json, String, T> value) {
            Json v = values.get(name);
            if (v == null) {
                return Map.of();
            }
            if (!(v instanceof JsonObject o)) {
                wrongType(paths.get(name), "object", v);
                return Map.of();
            }
            Map<String, T> out = new LinkedHashMap<>();
            o.members().forEach((k, e) -> {
                String p = JsonPath.member(paths.get(name), k);
                if (e instanceof JsonNull) {
                    error(p, "null is not allowed as a map value");
                    return;
                }
                T t = value.apply(e, p);
                if (t != null) {
                    out.put(k, t);
                }
            });
            return out;
        }
    }

    /**
     * Reads {@code json} as a message with the given snake_case field names. Unknown fields are
     * errors; {@code nullOnly} names fields Mosaic does not model but accepts when {@code null}
     * (as {@code vtctldclient} prints unset message fields). Returns null if {@code json} is not an
     * object.
     */
    Fields fields(Json json, String path, Set<String> names, Set<String> nullOnly) {
        if (!(json instanceof JsonObject o)) {
            wrongType(path, "object", json);
            return null;
        }
        Map<String, String> canonical = new HashMap<>();
        for (String n : names) {
            canonical.put(n, n);
            canonical.put(camel(n), n);
        }
        Fields f = new Fields();
        Map<String, String> seenAs = new HashMap<>();
        o.members().forEach((key, value) -> {
            String p = JsonPath.member(path, key);
            String name = canonical.get(key);
            if (name == null) {
                if (nullOnly.contains(key) && value instanceof JsonNull) {
                    return;
                }
                error(p, nullOnly.contains(key) ? "field is not supported by Mosaic" : "unknown field");
                return;
            }
            String earlier = seenAs.putIfAbsent(name, key);
            if (earlier != null) {
                error(p, "duplicate field (also given as \"" + earlier + "\")");
                return;
            }
            if (!(value instanceof JsonNull)) {
                f.values.put(name, value);
                f.paths.put(name, p);
            }
        });
        return f;
    }

    String string(Json v, String path) {
        if (v instanceof JsonString s) {
            return s.value();
        }
        wrongType(path, "string", v);
        return "";
    }

    void wrongType(String path, String expected, Json got) {
        error(path, "expected " + (expected.equals("object") || expected.equals("array") ? "an " : "a ")
                + expected + ", got " + (got.typeName().equals("object") || got.typeName().equals("array") ? "an " : "a ")
                + got.typeName());
    }

    private static String camel(String snake) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }
}
