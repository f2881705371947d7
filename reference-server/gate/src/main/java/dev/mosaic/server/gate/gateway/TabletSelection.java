package dev.mosaic.server.gate.gateway;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.TabletType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The pure part of routing: which tablets of a target are healthy, and which one a call goes to.
 * Stateless; the gateway feeds it snapshots.
 */
final class TabletSelection {
    private TabletSelection() {
    }

    /**
     * The tablets among {@code candidates} (all of one target) that may take queries.
     *
     * <p>Only tablets that are {@link TabletStatus#healthy healthy} count. For PRIMARY, the one
     * with the newest primary term start (two tablets claiming PRIMARY during a reparent: the
     * later term wins; on a tie the smaller alias, so the choice is stable). For other types, Vitess's
     * replication-lag filter (its non-legacy algorithm): drop tablets lagging more than
     * {@code high}; of the rest, sorted by lag, keep those lagging at most {@code low}, and in any
     * case the {@code minServing} least lagging.
     */
    static List<TabletStatus> healthy(TabletType type, Collection<TabletStatus> candidates, Duration low,
            Duration high, int minServing) {
        List<TabletStatus> ok = new ArrayList<>();
        for (TabletStatus t : candidates) {
            if (t.healthy()) {
                ok.add(t);
            }
        }
        if (type == TabletType.PRIMARY) {
            return ok.stream()
                    .max(Comparator.comparingLong(TabletStatus::primaryTermStartSeconds)
                            .thenComparing(TabletStatus::alias, Comparator.reverseOrder()))
                    .map(List::of).orElse(List.of());
        }
        long lowS = low.toSeconds();
        long highS = high.toSeconds();
        ok.removeIf(t -> t.replicationLagSeconds() > highS);
        ok.sort(Comparator.comparingLong(TabletStatus::replicationLagSeconds).thenComparing(TabletStatus::alias));
        List<TabletStatus> out = new ArrayList<>();
        for (int i = 0; i < ok.size(); i++) {
            if (ok.get(i).replicationLagSeconds() <= lowS || i < minServing) {
                out.add(ok.get(i));
            }
        }
        return List.copyOf(out);
    }

    /**
     * A tablet for one call: among {@code healthy} minus {@code exclude} (tablets that already
     * failed this call), a random one of the local cell if there is any, else a random one of any
     * cell.
     */
    static Optional<TabletStatus> pick(List<TabletStatus> healthy, String localCell, Set<TabletAlias> exclude,
            RandomGenerator random) {
        List<TabletStatus> local = new ArrayList<>();
        List<TabletStatus> any = new ArrayList<>();
        for (TabletStatus t : healthy) {
            if (exclude.contains(t.alias())) {
                continue;
            }
            any.add(t);
            if (t.cell().equals(localCell)) {
                local.add(t);
            }
        }
        List<TabletStatus> from = local.isEmpty() ? any : local;
        return from.isEmpty() ? Optional.empty() : Optional.of(from.get(random.nextInt(from.size())));
    }

    /** The target as Vitess prints it: {@code keyspace:"ks" shard:"-80" tablet_type:REPLICA}. */
    static String describe(Target target) {
        return "keyspace:\"" + target.getKeyspace() + "\" shard:\"" + target.getShard() + "\" tablet_type:"
                + target.getTabletType().name();
    }

    /** The routing key of a target: keyspace, shard and type (the cell does not matter). */
    static Target key(Target target) {
        return Target.newBuilder().setKeyspace(target.getKeyspace()).setShard(target.getShard())
                .setTabletType(target.getTabletType()).build();
    }

    /**
     * Whether a statement only reads, judged by its first keyword (after comments and opening
     * parentheses): SELECT, SHOW, DESCRIBE/DESC, EXPLAIN. Only such statements are retried on
     * another tablet; anything else (including WITH, which may precede an UPDATE) is not.
     */
    static boolean isRead(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    return false;
                }
                i = end + 2;
            } else if (c == '#' || (c == '-' && sql.startsWith("-- ", i))) {
                int end = sql.indexOf('\n', i);
                if (end < 0) {
                    return false;
                }
                i = end + 1;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        String word = sql.substring(start, i).toLowerCase(java.util.Locale.ROOT);
        return switch (word) {
            case "select", "show", "describe", "desc", "explain" -> true;
            default -> false;
        };
    }
}
