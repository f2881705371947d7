package dev.mosaic.server.tablet.server;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.schema.SchemaEngine;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The schema engine of the tablet's database: opened after the {@link SidecarComponent} (which
 * names the sidecar it must not describe), reloaded after each DDL the query engines run, and
 * telling the health stream which tables changed ({@code table_schema_changed}).
 */
@Singleton
final class SchemaEngineComponent implements TabletComponent {
    private final TabletConfig config;
    private final Mysqld mysqld;
    private final SidecarComponent sidecar;
    private final TabletQueryServer engines;
    private final TabletHealth health;
    private final MeterRegistry registry;
    private volatile SchemaEngine engine;

    @Inject
    SchemaEngineComponent(TabletServerConfig config, Mysqld mysqld, SidecarComponent sidecar,
            TabletQueryServer engines, TabletHealth health, MeterRegistry registry) {
        this.config = config.query();
        this.mysqld = mysqld;
        this.sidecar = sidecar;
        this.engines = engines;
        this.health = health;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "schema engine";
    }

    @Override
    public void start() {
        SchemaEngine se = SchemaEngine.open(mysqld, config.dbName(), sidecar.sidecarDb(),
                config.schemaReloadInterval(), registry);
        se.addListener((change, snapshot) -> health.schemaChanged(change.allTables()));
        engines.addDdlListener(se.ddlListener());
        engine = se;
    }

    /**
     * The engine.
     *
     * @throws IllegalStateException before {@link #start}
     */
    SchemaEngine engine() {
        SchemaEngine se = engine;
        if (se == null) {
            throw new IllegalStateException("the schema engine has not started");
        }
        return se;
    }

    /** The engine if it has started, else null (for the status page). */
    SchemaEngine engineOrNull() {
        return engine;
    }

    /** Reloads now; a failure is recorded by the engine (its last error), not thrown. */
    void reloadQuietly() {
        SchemaEngine se = engine;
        if (se != null) {
            try {
                se.reload();
            } catch (RuntimeException e) {
                // recorded by the engine (lastReloadError, error counter); the periodic reload retries
            }
        }
    }

    @Override
    public void close() {
        SchemaEngine se = engine;
        if (se != null) {
            se.close();
        }
    }
}
