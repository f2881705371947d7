package dev.mosaic.server.sql.planner;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.server.sql.parse.ParsedStatement;
import dev.mosaic.server.sql.plan.Primitive;

/** Plans SHOW statements: answered by the gate, or sent to one shard of the keyspace concerned. */
final class Shows {
    private Shows() {
    }

    static Primitive plan(ParsedStatement.Show s, Planner.Session session, VSchemaSnapshot vschema) {
        String like = s.like().map(l -> " like '" + l.replace("\\", "\\\\").replace("'", "''") + "'").orElse("");
        switch (s.kind()) {
            case DATABASES, VITESS_KEYSPACES, VITESS_SHARDS, VITESS_TABLETS, WARNINGS:
                return new Primitive.GateShow(s.kind(), s.like());
            case TABLES: {
                String ks = s.keyspace().orElse(session.keyspace());
                if (ks == null) {
                    throw new MosaicException(SqlError.NO_DB, "No database selected");
                }
                if (vschema.keyspace(ks).isEmpty()) {
                    throw new MosaicException(SqlError.BAD_DB, "Unknown database '" + ks + "'");
                }
                return new Primitive.Send(ks, Primitive.SendTarget.ANY_SHARD, "show " + (s.full() ? "full " : "") + "tables" + like, false);
            }
            case COLUMNS, CREATE_TABLE: {
                VSchemaSnapshot.Table t = vschema.findTable(s.keyspace().orElse(null), s.table().orElseThrow(), session.keyspace(),
                        session.tabletType());
                String q = s.kind() == ParsedStatement.ShowKind.COLUMNS
                        ? "show " + (s.full() ? "full " : "") + "columns from " + Planner.quote(t.name()) + like
                        : "show create table " + Planner.quote(t.name());
                return new Primitive.Send(t.keyspace(), Primitive.SendTarget.ANY_SHARD, q, false);
            }
            case VARIABLES: {
                String ks = session.keyspace();
                if (ks == null) {
                    if (vschema.keyspaces().isEmpty()) {
                        throw new MosaicException(SqlError.NO_DB, "No database selected");
                    }
                    ks = vschema.keyspaces().keySet().iterator().next();
                }
                return new Primitive.Send(ks, Primitive.SendTarget.ANY_SHARD, "show " + (s.global() ? "global " : "") + "variables" + like, false);
            }
            default:
                throw Errors.unsupported("SHOW " + s.kind());
        }
    }
}
