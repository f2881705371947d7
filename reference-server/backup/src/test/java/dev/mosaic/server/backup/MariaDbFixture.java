package dev.mosaic.server.backup;

import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.spi.backup.MysqldControl;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Three real MariaDB servers for the backup ITs: a source and two targets handed out in turn, each
 * reset (no user databases, empty position) before it is handed out, as the engine contract's
 * {@code newTarget()} requires.
 */
public final class MariaDbFixture implements AutoCloseable {
    private final MysqldCluster cluster;
    private final AtomicInteger next = new AtomicInteger();

    private MariaDbFixture(MysqldCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts the servers (skips the test without MariaDB binaries, fails under CI=true). */
    public static MariaDbFixture start() {
        return new MariaDbFixture(MysqldCluster.start(3));
    }

    /** The source. */
    public MysqldControl source() {
        return MysqldControls.of(cluster.get(0));
    }

    /** The source's mysqld. */
    public Mysqld sourceMysqld() {
        return cluster.get(0);
    }

    /** The next target, reset. */
    public MysqldControl resetTarget() {
        Mysqld m = cluster.get(1 + next.getAndIncrement() % 2);
        m.start(MysqldCluster.START_TIMEOUT);
        List<String> drop = m.fetch("SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT IN "
                + "('mysql', 'information_schema', 'performance_schema', 'sys')").stream()
                .map(r -> "DROP DATABASE `" + r.values().iterator().next() + "`").toList();
        m.executeAll(drop);
        m.executeAll(List.of("RESET MASTER", "SET GLOBAL gtid_slave_pos = ''"));
        return MysqldControls.of(m);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
