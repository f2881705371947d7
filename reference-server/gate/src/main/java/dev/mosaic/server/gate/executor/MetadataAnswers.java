package dev.mosaic.server.gate.executor;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.server.gate.gateway.TabletStatus;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.sql.plan.Primitive;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The SHOW statements the gate answers from its own view ({@link Primitive.GateShow}), with the
 * columns and row formats Vitess's vtgate uses:
 * <ul>
 *   <li>{@code SHOW DATABASES}: column {@code Database}, the keyspaces (sorted) followed by
 *       {@code information_schema}, {@code mysql}, {@code sys}, {@code performance_schema};</li>
 *   <li>{@code SHOW VITESS_KEYSPACES}: column {@code Database}, the keyspaces;</li>
 *   <li>{@code SHOW VITESS_SHARDS}: column {@code Shards}, rows {@code keyspace/shard};</li>
 *   <li>{@code SHOW VITESS_TABLETS}: {@code Cell, Keyspace, Shard, TabletType, State, Alias, Hostname,
 *       PrimaryTermStartTime} (RFC 3339, UTC, empty unless primary), one row per tablet the gateway
 *       watches;</li>
 *   <li>{@code SHOW WARNINGS}: {@code Level, Code, Message}. Tablet results do not carry MySQL's
 *       warnings yet, so there are never any rows.</li>
 * </ul>
 * A LIKE pattern filters on the database name, on {@code keyspace/shard}, or (VITESS_TABLETS, as
 * Vitess) on the hostname; it is case-sensitive. Pure functions of their inputs.
 */
final class MetadataAnswers {
    /** The schemas MySQL always has, listed after the keyspaces as Vitess does. */
    static final List<String> SYSTEM_DATABASES = List.of("information_schema", "mysql", "sys", "performance_schema");
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private MetadataAnswers() {
    }

    /**
     * The answer to {@code show}, given the serving shards and the tablets the gateway watches
     * (asked only for VITESS_TABLETS).
     */
    static GateRows answer(Primitive.GateShow show, ShardMap shardMap, Supplier<List<TabletStatus>> tablets) {
        Predicate<String> like = like(show.like());
        List<String> keyspaces = shardMap.keyspaces().keySet().stream().sorted().toList();
        return switch (show.kind()) {
            case DATABASES -> {
                List<String> all = new ArrayList<>(keyspaces);
                all.addAll(SYSTEM_DATABASES);
                yield GateRows.varchars(List.of("Database"), all.stream().filter(like).map(List::of).toList());
            }
            case VITESS_KEYSPACES -> GateRows.varchars(List.of("Database"), keyspaces.stream().filter(like).map(List::of).toList());
            case VITESS_SHARDS -> {
                List<List<String>> rows = new ArrayList<>();
                for (String ks : keyspaces) {
                    for (ShardTarget s : shardMap.keyspaces().get(ks)) {
                        String name = ks + "/" + s.name();
                        if (like.test(name)) {
                            rows.add(List.of(name));
                        }
                    }
                }
                yield GateRows.varchars(List.of("Shards"), rows);
            }
            case VITESS_TABLETS -> GateRows.varchars(
                    List.of("Cell", "Keyspace", "Shard", "TabletType", "State", "Alias", "Hostname", "PrimaryTermStartTime"),
                    tablets.get().stream()
                            .filter(t -> like.test(t.hostname()))
                            .sorted(Comparator.comparing((TabletStatus t) -> t.target().getKeyspace())
                                    .thenComparing(t -> t.target().getShard())
                                    .thenComparing(TabletStatus::alias))
                            .map(MetadataAnswers::tabletRow)
                            .toList());
            case WARNINGS -> new GateRows(List.of("Level", "Code", "Message"),
                    List.of(SqlType.VARCHAR, SqlType.UINT16, SqlType.VARCHAR), List.of());
            default -> throw new IllegalArgumentException("SHOW " + show.kind() + " is not answered by the gate");
        };
    }

    private static List<String> tabletRow(TabletStatus t) {
        return List.of(t.cell(), t.target().getKeyspace(), t.target().getShard(), t.target().getTabletType().name(),
                t.serving() ? "SERVING" : "NOT_SERVING", t.alias().toString(), t.hostname(),
                t.primaryTermStartSeconds() > 0 ? RFC3339.format(Instant.ofEpochSecond(t.primaryTermStartSeconds())) : "");
    }

    /** A SQL LIKE pattern as a test ({@code %} any run, {@code _} one character, {@code \} escapes). */
    static Predicate<String> like(Optional<String> pattern) {
        if (pattern.isEmpty()) {
            return s -> true;
        }
        Pattern compiled = LikePattern.compile(pattern.get(), false);
        return s -> compiled.matcher(s).matches();
    }
}
