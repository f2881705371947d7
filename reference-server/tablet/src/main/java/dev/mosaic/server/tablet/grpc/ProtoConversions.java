package dev.mosaic.server.tablet.grpc;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.BindVariable;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.proto.query.GateCallerID;
import dev.mosaic.proto.query.Rows;
import dev.mosaic.proto.query.Type;
import dev.mosaic.server.tablet.query.ExecuteOptions;
import dev.mosaic.server.tablet.query.Field;
import dev.mosaic.server.tablet.query.QueryResult;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conversions between the Query service's protobuf messages and the engine's types: bind
 * variables in, fields and results out. Stateless.
 */
public final class ProtoConversions {
    private ProtoConversions() {
    }

    /**
     * The engine's bind variables for the proto's.
     *
     * <p>A value's bytes are its MySQL text form: integers, floats and DECIMAL are parsed into
     * {@link Value.Int}, {@link Value.Uint}, {@link Value.Float} and {@link Value.Decimal}; binary
     * types keep their bytes as {@link Value.Binary}; text and temporal types become
     * {@link Value.Text} of that type; {@code NULL_TYPE} is {@link Value#NULL}; {@code TUPLE} is a
     * {@link Value.Tuple} of its {@code values} (which may not be tuples themselves).
     *
     * @throws MosaicException {@link ErrorCode#INVALID_ARGUMENT} for a value that does not parse as
     *     its type, an unknown type, or a nested tuple
     */
    public static BindVariables bindVariables(Map<String, BindVariable> proto) {
        if (proto.isEmpty()) {
            return BindVariables.EMPTY;
        }
        Map<String, Value> values = new LinkedHashMap<>();
        for (Map.Entry<String, BindVariable> e : proto.entrySet()) {
            values.put(e.getKey(), bindVariable(e.getKey(), e.getValue()));
        }
        return BindVariables.of(values);
    }

    /** One bind variable; {@code name} is for error messages. */
    public static Value bindVariable(String name, BindVariable bv) {
        if (bv.getType() == Type.TUPLE) {
            List<Value> items = new ArrayList<>(bv.getValuesCount());
            for (dev.mosaic.proto.query.Value v : bv.getValuesList()) {
                if (v.getType() == Type.TUPLE) {
                    throw invalid(name, "a tuple may not contain a tuple");
                }
                items.add(value(name, v.getType(), v.getValue().toByteArray()));
            }
            return Value.tuple(items.toArray(Value[]::new));
        }
        if (bv.getValuesCount() > 0) {
            throw invalid(name, "values are allowed only with type TUPLE, not " + bv.getType());
        }
        return value(name, bv.getType(), bv.getValue().toByteArray());
    }

    private static Value value(String name, Type type, byte[] bytes) {
        SqlType t = sqlType(name, type);
        String text = null;
        try {
            if (t == SqlType.NULL_TYPE) {
                return Value.NULL;
            }
            if (t.isSigned()) {
                text = ascii(bytes);
                return Value.of(Long.parseLong(text));
            }
            if (t.isUnsigned()) {
                text = ascii(bytes);
                return Value.ofUnsigned(Long.parseUnsignedLong(text));
            }
            if (t.isFloat()) {
                text = ascii(bytes);
                return Value.of(Double.parseDouble(text));
            }
            if (t == SqlType.DECIMAL) {
                text = ascii(bytes);
                return Value.of(new BigDecimal(text));
            }
            if (t.isBinary()) {
                return new Value.Binary(t, bytes);
            }
            return new Value.Text(t, bytes);
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "bind variable " + name + ": "
                    + (text != null ? "'" + text + "' is not a valid " + t : e.getMessage()), e);
        }
    }

    private static SqlType sqlType(String name, Type type) {
        if (type == Type.UNRECOGNIZED || type == Type.TUPLE) {
            throw invalid(name, "unsupported type " + type);
        }
        try {
            return SqlType.valueOf(type.name());
        } catch (IllegalArgumentException e) {
            throw invalid(name, "unsupported type " + type);
        }
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static MosaicException invalid(String name, String what) {
        return new MosaicException(ErrorCode.INVALID_ARGUMENT, "bind variable " + name + ": " + what);
    }

    /**
     * The engine's options for a call: the proto's {@code timeout_millis} (0 = the tablet's
     * default) and the caller the table ACLs check, the immediate caller's user name (the one the
     * gate authenticated), else the effective caller's principal.
     */
    public static ExecuteOptions options(dev.mosaic.proto.query.ExecuteOptions proto, GateCallerID immediate,
            CallerID effective) {
        ExecuteOptions o = ExecuteOptions.DEFAULT;
        if (proto.getTimeoutMillis() > 0) {
            o = o.withTimeout(Duration.ofMillis(proto.getTimeoutMillis()));
        }
        String principal = !immediate.getUsername().isEmpty() ? immediate.getUsername() : effective.getPrincipal();
        return o.withPrincipal(principal);
    }

    /** The proto field for an engine field ({@code column_type} is not known to the engine: empty). */
    public static dev.mosaic.proto.query.Field field(Field f) {
        return dev.mosaic.proto.query.Field.newBuilder()
                .setName(f.name())
                .setType(Type.valueOf(f.type().name()))
                .setTable(f.table())
                .setOrgTable(f.orgTable())
                .setDatabase(f.database())
                .setOrgName(f.orgName())
                .setColumnLength((int) Math.min(f.columnLength(), 0xFFFF_FFFFL))
                .setCharset(f.charset())
                .setDecimals(f.decimals())
                .setFlags(f.flags())
                .build();
    }

    /** The proto result: fields (when {@code withFields}), rows in compact form, counts. */
    public static dev.mosaic.proto.query.QueryResult result(QueryResult r, boolean withFields) {
        dev.mosaic.proto.query.QueryResult.Builder b = dev.mosaic.proto.query.QueryResult.newBuilder()
                .setRowsAffected(r.rowsAffected())
                .setInsertId(r.insertId());
        if (withFields) {
            for (Field f : r.fields()) {
                b.addFields(field(f));
            }
        }
        for (byte[][] row : r.rows()) {
            b.addRows(Rows.encode(Arrays.asList(row)));
        }
        return b.build();
    }
}
