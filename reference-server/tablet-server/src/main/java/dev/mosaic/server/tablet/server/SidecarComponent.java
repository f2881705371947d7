package dev.mosaic.server.tablet.server;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.query.MysqlErrors;
import dev.mosaic.server.tablet.sidecar.Sidecar;
import dev.mosaic.server.tablet.sidecar.SidecarStatus;
import dev.mosaic.server.topo.TopoServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tablet's sidecar database and its own database ({@code query.db.name}), as far as the tablet
 * creates them. At start the sidecar's name is resolved (the keyspace record's
 * {@code sidecar_db_name} wins over {@code query.sidecar.db-name}); a tablet that starts as
 * PRIMARY then creates both databases and brings the sidecar up to date, any other type only
 * looks. {@link #becamePrimary} does the same on a promotion.
 *
 * <p>Creating the tablet's database on the primary follows Vitess, where {@code InitShardPrimary}
 * runs {@code CREATE DATABASE IF NOT EXISTS} on the primary-elect: replicas receive it by
 * replication, so no replica ever creates it.
 */
@Singleton
final class SidecarComponent implements TabletComponent {
    private final TabletConfig config;
    private final String keyspace;
    private final Mysqld mysqld;
    private final TopoServer topo;
    private final TabletType startType;
    private volatile String name = "";
    private volatile SidecarStatus status;

    @Inject
    SidecarComponent(TabletServerConfig config, Mysqld mysqld, TopoServer topo, TabletType startType) {
        this.config = config.query();
        this.keyspace = config.tablet().keyspace();
        this.mysqld = mysqld;
        this.topo = topo;
        this.startType = startType;
    }

    @Override
    public String name() {
        return "sidecar database";
    }

    @Override
    public void start() {
        name = Sidecar.resolveName(topo, keyspace, config.sidecarDbName());
        if (startType == TabletType.PRIMARY) {
            becamePrimary();
        } else {
            status = Sidecar.ensure(mysqld, name, startType);
        }
    }

    /**
     * On a (new) primary: creates the tablet's database if missing and brings the sidecar up to
     * date, both with the binary log on so the replicas receive them.
     *
     * @throws dev.mosaic.api.error.MosaicException the mapped MySQL error of a failed statement
     */
    void becamePrimary() {
        createDatabase();
        status = Sidecar.ensure(mysqld, sidecarDb(), TabletType.PRIMARY);
    }

    private void createDatabase() {
        String db = config.dbName();
        if (db.isEmpty()) {
            return;
        }
        String sql = "CREATE DATABASE IF NOT EXISTS " + Sidecar.quoteId(db);
        try (Connection c = mysqld.connect(); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_log_bin = 1"); // the replicas must receive it
            s.execute(sql);
        } catch (SQLException e) {
            throw MysqlErrors.toMosaic(e, sql);
        }
    }

    /**
     * The sidecar database's name.
     *
     * @throws IllegalStateException before {@link #start}
     */
    String sidecarDb() {
        String n = name;
        if (n.isEmpty()) {
            throw new IllegalStateException("the sidecar component has not started");
        }
        return n;
    }

    /** The name, empty before {@link #start} (for the status page). */
    String sidecarDbOrEmpty() {
        return name;
    }

    /** What the last ensure found or did; null before {@link #start}. */
    SidecarStatus status() {
        return status;
    }

    @Override
    public void close() {
        // nothing runs in the background
    }
}
