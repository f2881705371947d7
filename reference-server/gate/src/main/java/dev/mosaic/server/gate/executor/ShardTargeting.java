package dev.mosaic.server.gate.executor;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysql.protocol.command.ResultSink;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.exec.RowStream;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.planner.Planner;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Shard targeting, as Vitess's {@code USE keyspace/shard[@type]}: the session's statements go
 * unchanged to that one shard, without planning, until a {@code USE} of a plain keyspace. Only what
 * the gate itself must do still runs through the normal path: {@code USE}, {@code SET}, transaction
 * statements, the gate-answered SHOW statements and selects the gate answers
 * ({@code @@version}, {@code DATABASE()}, {@code LAST_INSERT_ID()}). Thread-safe.
 */
final class ShardTargeting {
    private static final Pattern USE = Pattern.compile("(?is)\\s*use\\s+(`(?:[^`]|``)+`|[^\\s;`]+)\\s*;?\\s*");
    private static final Pattern FIRST_WORD = Pattern.compile("(?s)\\s*(?:/\\*.*?\\*/\\s*)*([A-Za-z]+)");
    private static final Set<String> GATE_STATEMENTS = Set.of("use", "set", "begin", "start", "commit", "rollback",
            "savepoint", "release");

    private final CachingPlanner planner;
    private final ShardMap shardMap;
    private final DatabaseNames databases;
    private final ShardCall shardCall;

    /** How a targeted statement reaches its shard: the executor's call, within the session's transaction. */
    @FunctionalInterface
    interface ShardCall {
        QueryResult call(GateSession session, CallerID caller, Target target, BoundQuery query);
    }

    ShardTargeting(CachingPlanner planner, ShardMap shardMap, DatabaseNames databases, ShardCall shardCall) {
        this.databases = databases;
        this.planner = planner;
        this.shardMap = shardMap;
        this.shardCall = shardCall;
    }

    /** A parsed {@code keyspace/shard[@type]} target. */
    record ShardUse(String keyspace, String shard, Optional<String> tabletType) {
    }

    /**
     * The shard target of a {@code USE} statement, if it names one ({@code USE customer/-80},
     * {@code USE `customer/-80@replica`}); empty for any other statement, including {@code USE customer}.
     */
    static Optional<ShardUse> parseUse(String sql) {
        Matcher m = USE.matcher(sql);
        if (!m.matches()) {
            return Optional.empty();
        }
        String t = m.group(1);
        if (t.startsWith("`")) {
            t = t.substring(1, t.length() - 1).replace("``", "`");
        }
        Optional<String> type = Optional.empty();
        int at = t.lastIndexOf('@');
        if (at >= 0) {
            type = Optional.of(t.substring(at + 1).toLowerCase(Locale.ROOT));
            t = t.substring(0, at);
        }
        int slash = t.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        return Optional.of(new ShardUse(t.substring(0, slash), t.substring(slash + 1), type));
    }

    /**
     * Runs {@code sql} if it is a shard-targeting {@code USE} or the session targets a shard and the
     * statement is not one the gate handles itself.
     *
     * @return false if the statement is left to the normal path
     * @throws MosaicException BAD_DB (1049) for an unknown keyspace or shard; errors from the tablet
     */
    boolean tryExecute(GateSession session, CallerID caller, String sql, ResultSink sink) {
        Optional<ShardUse> use = parseUse(sql);
        if (use.isPresent()) {
            use(session, use.get());
            sink.ok();
            return true;
        }
        if (session.shard() == null || handledByGate(session, sql)) {
            return false;
        }
        Target target = Target.newBuilder().setKeyspace(session.keyspace()).setShard(session.shard())
                .setTabletType(TabletType.valueOf(session.tabletType().toUpperCase(Locale.ROOT))).build();
        QueryResult r = shardCall.call(session, caller, target, ProtoValues.boundQuery(sql, BindVariables.EMPTY));
        if (r.getFieldsCount() > 0) {
            try (RowStream rows = ProtoValues.rows(r, shardMap, databases)) {
                Executor.writeRows(rows, sink);
            }
        } else {
            Executor.okSum(session, List.of(r), sink);
        }
        return true;
    }

    private void use(GateSession session, ShardUse u) {
        String shown = u.keyspace() + "/" + u.shard();
        List<ShardTarget> shards = shardMap.keyspaces().get(u.keyspace());
        if (shards == null) {
            throw new MosaicException(SqlError.BAD_DB, "Unknown database '" + shown + "'");
        }
        if (shards.stream().noneMatch(s -> s.name().equals(u.shard()))) {
            throw new MosaicException(SqlError.BAD_DB, "Unknown database '" + shown + "': keyspace " + u.keyspace()
                    + " has no shard " + u.shard() + " (its shards: "
                    + shards.stream().map(ShardTarget::name).collect(Collectors.joining(", ")) + ")");
        }
        String type = u.tabletType().orElse("primary");
        try {
            TabletType.valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MosaicException(SqlError.BAD_DB, "Unknown database '" + shown + "@" + type + "': no tablet type " + type);
        }
        session.targetShard(u.keyspace(), u.shard(), type);
    }

    /** Statements that keep their meaning at the gate while a shard is targeted. */
    private boolean handledByGate(GateSession session, String sql) {
        Matcher m = FIRST_WORD.matcher(sql);
        if (!m.lookingAt()) {
            return false;
        }
        String word = m.group(1).toLowerCase(Locale.ROOT);
        if (GATE_STATEMENTS.contains(word)) {
            return true;
        }
        if (!word.equals("select") && !word.equals("show")) {
            return false;
        }
        Primitive root;
        try {
            root = planner.plan(sql, new Planner.Session(session.keyspace(), session.tabletType())).plan().root();
        } catch (MosaicException e) {
            return false; // the shard may well know what the gate's vschema does not
        }
        return root instanceof Primitive.GateShow || root instanceof Primitive.GateProjection;
    }
}
