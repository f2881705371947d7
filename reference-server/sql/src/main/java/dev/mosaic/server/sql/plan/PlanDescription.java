package dev.mosaic.server.sql.plan;

import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.json.JsonString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A plan as JSON, in the spirit of Vitess's {@code EXPLAIN FORMAT=vtexplain}/plan test output:
 * {@code OperatorType}, {@code Variant}, {@code Keyspace}, {@code Query}, ... and {@code Inputs}
 * for operators with children. Used by the planner case corpus and for humans reading plans.
 */
public final class PlanDescription {
    private PlanDescription() {
    }

    /** The description of {@code p}. */
    public static JsonObject describe(Primitive p) {
        JsonObject.Builder b = JsonObject.builder();
        if (p instanceof Primitive.Route r) {
            b.put("OperatorType", "Route").put("Variant", r.routing().opcode().vitessName())
                    .put("Keyspace", r.routing().keyspace());
            routing(b, r.routing());
            b.put("Table", r.table()).put("Query", r.query());
            if (!r.orderBy().isEmpty()) {
                b.put("OrderBy", orderBy(r.orderBy(), true));
            }
            if (r.truncateColumns() > 0) {
                b.put("ResultColumns", r.truncateColumns());
            }
            if (!r.sysTableSchema().isEmpty()) {
                b.put("SysTableTableSchema", exprs(r.sysTableSchema()));
            }
        } else if (p instanceof Primitive.Dml d) {
            b.put("OperatorType", d.kind() == Primitive.DmlKind.UPDATE ? "Update" : "Delete")
                    .put("Variant", d.routing().opcode().vitessName()).put("Keyspace", d.routing().keyspace());
            routing(b, d.routing());
            b.put("Table", d.table());
            d.lookups().ifPresent(l -> {
                List<Json> names = new ArrayList<>();
                for (Routing.PlannedVindex v : l.owned()) {
                    names.add(Json.of(v.name()));
                }
                b.put(d.kind() == Primitive.DmlKind.UPDATE ? "ChangedVindexValues" : "OwnedVindexes", new JsonArray(names));
                b.put("OwnedVindexQuery", l.selectQuery());
            });
            b.put("Query", d.query());
        } else if (p instanceof Primitive.Insert i) {
            boolean sharded = i.routing().opcode() != RouteOpcode.UNSHARDED;
            b.put("OperatorType", "Insert").put("Variant", sharded ? "Sharded" : "Unsharded")
                    .put("Keyspace", i.routing().keyspace()).put("Table", i.table());
            i.routing().vindex().ifPresent(v -> b.put("Vindex", v.name()));
            if (sharded) {
                List<Json> rows = new ArrayList<>();
                for (List<ValueExpr> row : i.rowVindexValues()) {
                    rows.add(exprs(row));
                }
                b.put("VindexValues", new JsonArray(rows));
            }
            if (!i.owned().isEmpty()) {
                JsonObject.Builder owned = JsonObject.builder();
                for (Primitive.OwnedInsert o : i.owned()) {
                    List<Json> rows = new ArrayList<>();
                    for (List<ValueExpr> row : o.rows()) {
                        rows.add(exprs(row));
                    }
                    owned.put(o.vindex().name(), new JsonArray(rows));
                }
                b.put("OwnedVindexValues", owned.build());
            }
            i.autoIncrement().ifPresent(a -> b.put("AutoIncrement", a.sequenceKeyspace() + "." + a.sequenceTable() + ":" + a.column())
                    .put("AutoIncrementValues", exprs(a.rowValues())));
            if (i.ignore()) {
                b.put("Ignore", true);
            }
            b.put("Query", i.query());
        } else if (p instanceof Primitive.Send s) {
            b.put("OperatorType", "Send").put("Keyspace", s.keyspace())
                    .put("TargetDestination", s.target() == Primitive.SendTarget.ALL_SHARDS ? "AllShards()" : "AnyShard()")
                    .put("IsDDL", s.isDdl()).put("Query", s.query());
        } else if (p instanceof Primitive.Limit l) {
            b.put("OperatorType", "Limit").put("Count", l.count().describe());
            l.offset().ifPresent(o -> b.put("Offset", o.describe()));
            b.put("Inputs", new JsonArray(List.of(describe(l.input()))));
        } else if (p instanceof Primitive.Aggregate a) {
            b.put("OperatorType", "Aggregate").put("Variant", a.groupBy().isEmpty() ? "Scalar" : "Ordered");
            List<String> aggs = new ArrayList<>();
            for (AggregateParam ap : a.aggregates()) {
                String fn = switch (ap.function()) {
                    case COUNT -> (a.raw() ? "count(" : "sum_count(") + ap.column() + ")";
                    case SUM -> "sum(" + ap.column() + ")";
                    case MIN -> "min(" + column(ap) + ")";
                    case MAX -> "max(" + column(ap) + ")";
                    case AVG -> a.raw() ? "avg(" + ap.column() + ")" : "avg(" + ap.column() + "/" + ap.countColumn() + ")";
                    case COUNT_DISTINCT -> "count_distinct(" + column(ap) + ")";
                    case SUM_DISTINCT -> "sum_distinct(" + column(ap) + ")";
                    case AVG_DISTINCT -> "avg_distinct(" + column(ap) + ")";
                };
                aggs.add(fn + " AS " + ap.alias());
            }
            b.put("Aggregates", String.join(", ", aggs));
            if (!a.groupBy().isEmpty()) {
                b.put("GroupBy", orderBy(a.groupBy(), false));
            }
            if (a.truncateColumns() > 0) {
                b.put("ResultColumns", a.truncateColumns());
            }
            b.put("Inputs", new JsonArray(List.of(describe(a.input()))));
        } else if (p instanceof Primitive.MemorySort m) {
            b.put("OperatorType", "Sort").put("Variant", "Memory").put("OrderBy", orderBy(m.orderBy(), true));
            if (m.truncateColumns() > 0) {
                b.put("ResultColumns", m.truncateColumns());
            }
            b.put("Inputs", new JsonArray(List.of(describe(m.input()))));
        } else if (p instanceof Primitive.Distinct d) {
            b.put("OperatorType", "Distinct").put("Columns", orderBy(d.columns(), false));
            if (d.truncateColumns() > 0) {
                b.put("ResultColumns", d.truncateColumns());
            }
            b.put("Inputs", new JsonArray(List.of(describe(d.input()))));
        } else if (p instanceof Primitive.Join j) {
            List<String> cols = new ArrayList<>();
            for (int c : j.columns()) {
                cols.add(c < 0 ? "L:" + (-1 - c) : "R:" + (c - 1));
            }
            List<String> vars = new ArrayList<>();
            j.vars().forEach((k, v) -> vars.add(k + ": L:" + v));
            b.put("OperatorType", "Join").put("Variant", j.kind() == Primitive.JoinKind.LEFT ? "LeftJoin" : "Join")
                    .put("JoinColumnIndexes", String.join(", ", cols)).put("JoinVars", Json.ofStrings(vars))
                    .put("Inputs", new JsonArray(List.of(describe(j.left()), describe(j.right()))));
        } else if (p instanceof Primitive.PulloutSubquery q) {
            b.put("OperatorType", "UncorrelatedSubquery").put("Variant", switch (q.opcode()) {
                case VALUE -> "PulloutValue";
                case IN -> "PulloutIn";
                case NOT_IN -> "PulloutNotIn";
                case EXISTS -> "PulloutExists";
            });
            b.put("PulloutVars", Json.ofStrings(switch (q.opcode()) {
                case VALUE -> List.of(q.valueVar());
                case EXISTS -> List.of(q.hasValuesVar());
                default -> List.of(q.hasValuesVar(), q.valueVar());
            }));
            b.put("Inputs", new JsonArray(List.of(describe(q.subquery()), describe(q.outer()))));
        } else if (p instanceof Primitive.Filter f) {
            List<String> preds = new ArrayList<>();
            for (Primitive.Comparison c : f.conditions()) {
                preds.add(c.column() + " " + c.op().sql() + " " + c.value().describe());
            }
            b.put("OperatorType", "Filter").put("Predicate", String.join(" AND ", preds));
            if (f.truncateColumns() > 0) {
                b.put("ResultColumns", f.truncateColumns());
            }
            b.put("Inputs", new JsonArray(List.of(describe(f.input()))));
        } else if (p instanceof Primitive.Concatenate c) {
            b.put("OperatorType", "Concatenate").put("Inputs", new JsonArray(c.inputs().stream().map(i -> (dev.mosaic.api.json.Json) describe(i)).toList()));
        } else if (p instanceof Primitive.SessionSet s) {
            List<String> as = new ArrayList<>();
            for (Primitive.SetAssignment a : s.assignments()) {
                as.add(a.scope().name().toLowerCase() + " " + a.name() + " = " + a.value().describe());
            }
            b.put("OperatorType", "Set").put("Assignments", Json.ofStrings(as));
        } else if (p instanceof Primitive.UseKeyspace u) {
            b.put("OperatorType", "UpdateTarget").put("Keyspace", u.keyspace());
            u.tabletType().ifPresent(t -> b.put("TabletType", t));
        } else if (p instanceof Primitive.TransactionControl t) {
            b.put("OperatorType", "Transaction").put("Operation", t.op().name());
            if (!t.savepoint().isEmpty()) {
                b.put("Savepoint", t.savepoint());
            }
        } else if (p instanceof Primitive.GateProjection g) {
            List<String> cols = new ArrayList<>();
            for (Primitive.GateColumn c : g.columns()) {
                cols.add(c.name() + ": " + (c.function() == Primitive.GateFunction.CONSTANT
                        ? c.constant().orElseThrow().describe() : c.function().name()));
            }
            b.put("OperatorType", "Projection").put("Columns", Json.ofStrings(cols));
        } else if (p instanceof Primitive.GateShow s) {
            b.put("OperatorType", "ShowExec").put("Variant", s.kind().name());
            s.like().ifPresent(l -> b.put("Like", l));
        } else if (p instanceof Primitive.VExplain v) {
            b.put("OperatorType", "VEXPLAIN").put("Type", v.kind().name().toLowerCase(Locale.ROOT))
                    .put("Inputs", new JsonArray(List.of(describe(v.input()))));
        } else {
            // A primitive this description does not know yet: at least say what it is.
            b.put("OperatorType", p.getClass().getSimpleName());
        }
        return b.build();
    }

    /**
     * The description {@code VEXPLAIN PLAN} answers, shaped as Vitess's: {@link #describe}, with
     * each {@code Keyspace} written as {@code {"Name": ..., "Sharded": ...}}.
     *
     * @param sharded whether a keyspace (by name) is sharded
     */
    public static JsonObject vexplain(Primitive p, Predicate<String> sharded) {
        return (JsonObject) withKeyspaceObjects(describe(p), sharded);
    }

    private static Json withKeyspaceObjects(Json json, Predicate<String> sharded) {
        if (json instanceof JsonArray a) {
            List<Json> out = new ArrayList<>();
            for (Json e : a.elements()) {
                out.add(withKeyspaceObjects(e, sharded));
            }
            return new JsonArray(out);
        }
        if (!(json instanceof JsonObject o)) {
            return json;
        }
        JsonObject.Builder b = JsonObject.builder();
        o.members().forEach((k, v) -> {
            if (k.equals("Keyspace") && v instanceof JsonString name) {
                b.put(k, JsonObject.builder().put("Name", name.value()).put("Sharded", sharded.test(name.value())).build());
            } else {
                b.put(k, withKeyspaceObjects(v, sharded));
            }
        });
        return b.build();
    }

    private static String column(AggregateParam ap) {
        return ap.weightStringColumn() >= 0 ? ap.column() + "|" + ap.weightStringColumn() : String.valueOf(ap.column());
    }

    private static void routing(JsonObject.Builder b, Routing r) {
        r.vindex().ifPresent(v -> b.put("Vindex", v.name()));
        if (!r.values().isEmpty()) {
            b.put("Values", exprs(r.values()));
        }
    }

    private static JsonArray exprs(List<ValueExpr> list) {
        return Json.ofStrings(list.stream().map(ValueExpr::describe).toList());
    }

    /** {@code 0 ASC, (1|3) DESC}: column, its weight-string column in parentheses, direction. */
    private static String orderBy(List<OrderBy> list, boolean direction) {
        List<String> parts = new ArrayList<>();
        for (OrderBy o : list) {
            String col = o.usesCollation() ? "(" + o.column() + "|" + o.weightStringColumn() + ")" : String.valueOf(o.column());
            parts.add(direction ? col + (o.descending() ? " DESC" : " ASC") : col + (o.descending() ? " DESC" : ""));
        }
        return String.join(", ", parts);
    }
}
