package dev.mosaic.server.sql.plan;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A value the plan needs at execution time (a vindex column's value, a LIMIT count): a bind
 * variable, a list bind variable, a constant, or a tuple of these. Evaluated against the
 * statement's bind variables; plans never hold literal values that normalization turned into
 * bind variables, so one plan serves every value.
 */
public sealed interface ValueExpr {

    /** The value under {@code bindVars}. */
    Value evaluate(BindVariables bindVars);

    /** The text form used in plan descriptions: {@code :name}, {@code ::name}, a literal, or a tuple. */
    String describe();

    /** A bind variable {@code :name}. */
    record Bind(String name) implements ValueExpr {
        /** Rejects null. */
        public Bind {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public Value evaluate(BindVariables bindVars) {
            return bindVars.get(name).orElseThrow(() -> missing(name));
        }

        @Override
        public String describe() {
            return ":" + name;
        }
    }

    /** A list bind variable {@code ::name}, whose value is a {@link Value.Tuple}. */
    record ListBind(String name) implements ValueExpr {
        /** Rejects null. */
        public ListBind {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public Value evaluate(BindVariables bindVars) {
            Value v = bindVars.get(name).orElseThrow(() -> missing(name));
            if (!(v instanceof Value.Tuple)) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "bind variable ::" + name + " must be a list, got " + v.type());
            }
            return v;
        }

        @Override
        public String describe() {
            return "::" + name;
        }
    }

    /** A constant. */
    record Const(Value value) implements ValueExpr {
        /** Rejects null. */
        public Const {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Value evaluate(BindVariables bindVars) {
            return value;
        }

        @Override
        public String describe() {
            return value.toSqlLiteral();
        }
    }

    /** A tuple of values, e.g. an {@code IN} list mixing bind variables. */
    record TupleOf(List<ValueExpr> elements) implements ValueExpr {
        /** Copies the list. */
        public TupleOf {
            elements = List.copyOf(elements);
        }

        @Override
        public Value evaluate(BindVariables bindVars) {
            List<Value> vals = new ArrayList<>(elements.size());
            for (ValueExpr e : elements) {
                vals.add(e.evaluate(bindVars));
            }
            return new Value.Tuple(vals);
        }

        @Override
        public String describe() {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < elements.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(elements.get(i).describe());
            }
            return sb.append(')').toString();
        }
    }

    private static MosaicException missing(String name) {
        return new MosaicException(ErrorCode.INVALID_ARGUMENT, "missing bind variable: " + name);
    }
}
