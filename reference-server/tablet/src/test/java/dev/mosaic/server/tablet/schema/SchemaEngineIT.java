package dev.mosaic.server.tablet.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.query.StreamHealthRequest;
import dev.mosaic.proto.query.StreamHealthResponse;
import dev.mosaic.proto.tabletmanager.ApplySchemaRequest;
import dev.mosaic.proto.tabletmanager.ApplySchemaResponse;
import dev.mosaic.proto.tabletmanager.ExecuteFetchAsDbaRequest;
import dev.mosaic.proto.tabletmanager.ExecuteFetchAsDbaResponse;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.grpc.TabletGrpcServer;
import dev.mosaic.server.tablet.health.HealthStreamCollector;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.manager.TabletManagerService;
import dev.mosaic.server.tablet.query.ExecuteOptions;
import dev.mosaic.server.tablet.sidecar.Sidecar;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema engine on a real MariaDB: DDL run through the query engine, a transaction, a stream,
 * ApplySchema and ExecuteFetchAsDba(reload_schema) is seen at once; a change made behind the
 * tablet's back by the periodic reload; and StreamHealth carries each changed table name once.
 */
class SchemaEngineIT {
    private static final String DB = TabletTestSupport.DB;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static MysqldCluster cluster;
    private static Mysqld mysqld;
    private static TabletQueryServer engines;
    private static SchemaEngine schema;
    private static TabletHealth health;
    private static TabletGrpcServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(1);
        mysqld = cluster.get(0);
        mysqld.replication().makePrimary();
        TabletTestSupport.prepare(mysqld);
        Sidecar.ensure(mysqld, "_vt", TabletType.PRIMARY);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        engines = TabletTestSupport.open(mysqld, TabletConfig.defaults(), registry);
        schema = SchemaEngine.open(mysqld, DB, "_vt", SchemaEngine.DEFAULT_RELOAD_INTERVAL, registry);
        engines.addDdlListener(schema.ddlListener());
        health = new TabletHealth(TabletAlias.parse("zone1-300"), "commerce", "0", TabletType.PRIMARY, Optional::empty,
                TabletHealth.Settings.defaults().withInterval(Duration.ofMillis(100))
                        .withHeartbeat(Duration.ofMillis(300))).start();
        schema.addListener((change, snapshot) -> health.schemaChanged(change.allTables()));
        server = TabletGrpcServer.start(engines, health, new InetSocketAddress(0), 4);
        channel = NettyChannelBuilder.forAddress("localhost", server.port()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (health != null) {
            health.close();
        }
        if (server != null) {
            server.close();
        }
        if (schema != null) {
            schema.close();
        }
        if (engines != null) {
            engines.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Takes the next {@code n} responses (heartbeats come every 300 ms) and checks none names {@code table}. */
    private static void noRepeatOf(HealthStreamCollector c, String table, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            StreamHealthResponse r = c.responses.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(r, "a heartbeat");
            assertFalse(r.getRealtimeStats().getTableSchemaChangedList().contains(table),
                    table + " went out twice: " + r.getRealtimeStats());
        }
    }

    private static Predicate<StreamHealthResponse> names(String... tables) {
        return r -> r.getRealtimeStats().getTableSchemaChangedList().containsAll(List.of(tables));
    }

    private static void execute(String sql) {
        engines.queries().execute(sql, BindVariables.EMPTY, ExecuteOptions.DEFAULT);
    }

    @Test
    void ddlThroughTheEnginesIsSeenAtOnceAndStreamedOnce() throws InterruptedException {
        HealthStreamCollector c = new HealthStreamCollector(WAIT);
        QueryGrpc.newStub(channel).streamHealth(StreamHealthRequest.getDefaultInstance(), c);
        assertNotNull(c.responses.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "the current state at once");

        execute("CREATE TABLE orders (id BIGINT UNSIGNED NOT NULL, region INT NOT NULL, note VARCHAR(20), "
                + "PRIMARY KEY (region, id))");
        Table orders = schema.current().table("orders");
        assertNotNull(orders, "seen as soon as the DDL returns");
        assertEquals(Table.Kind.BASE, orders.kind());
        assertEquals(List.of(new Column("id", "bigint(20) unsigned"), new Column("region", "int(11)"),
                new Column("note", "varchar(20)")), orders.columns());
        assertEquals(List.of("region", "id"), orders.primaryKey());
        assertTrue(orders.createTimeSeconds() > 0);
        for (String sidecarTable : List.of("heartbeat", "redo_state", Sidecar.VERSION_TABLE)) {
            assertNull(schema.current().table(sidecarTable), "the sidecar is not the tablet's schema");
        }
        c.awaitMatching("orders created", names("orders"));
        noRepeatOf(c, "orders", 3);

        // ALTER inside a transaction (MySQL commits implicitly)
        long tx = engines.transactions().begin(ExecuteOptions.DEFAULT);
        engines.transactions().execute(tx, "ALTER TABLE orders ADD COLUMN amount DECIMAL(10,2)", BindVariables.EMPTY,
                ExecuteOptions.DEFAULT);
        engines.transactions().rollback(tx);
        assertEquals("decimal(10,2)", schema.current().table("orders").column("amount").type());
        c.awaitMatching("orders altered", names("orders"));
        noRepeatOf(c, "orders", 3);

        // a view, and a DROP through the streaming path
        execute("CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100");
        assertEquals(Table.Kind.VIEW, schema.current().table("big_orders").kind());
        engines.queries().streamExecute("DROP VIEW big_orders", BindVariables.EMPTY, ExecuteOptions.DEFAULT, r -> { });
        execute("DROP TABLE orders");
        assertNull(schema.current().table("orders"));
        assertNull(schema.current().table("big_orders"));
        c.awaitMatching("orders dropped", names("orders"));
        noRepeatOf(c, "orders", 3);

        // a failed DDL changes nothing, and its caller gets its own error, not a reload's
        MosaicException e = org.junit.jupiter.api.Assertions.assertThrows(MosaicException.class,
                () -> execute("DROP TABLE no_such_table"));
        assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
        assertEquals("", schema.lastReloadError());
        c.call.cancel("done", null);
    }

    /** Collects one unary answer of a service called in-process. */
    static final class Answer<T> implements StreamObserver<T> {
        final AtomicReference<T> value = new AtomicReference<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();

        @Override
        public void onNext(T v) {
            value.set(v);
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
        }

        @Override
        public void onCompleted() {
        }

        T get() {
            if (error.get() != null) {
                throw new AssertionError("the call failed", error.get());
            }
            return value.get();
        }
    }

    @Test
    void tabletManagerReloadsAfterApplySchemaAndOnRequest() {
        TabletManagerService tm = new TabletManagerService(mysqld, DB, a -> {
            throw new MosaicException(ErrorCode.NOT_FOUND, "no parents here");
        }, null, schema);
        Answer<ApplySchemaResponse> applied = new Answer<>();
        tm.applySchema(ApplySchemaRequest.newBuilder().setSql("CREATE TABLE customers (id INT PRIMARY KEY)").build(),
                applied);
        applied.get();
        assertNotNull(schema.current().table("customers"), "ApplySchema reloads");

        Answer<ExecuteFetchAsDbaResponse> quiet = new Answer<>();
        tm.executeFetchAsDba(ExecuteFetchAsDbaRequest.newBuilder()
                .setQuery(ByteString.copyFromUtf8("CREATE TABLE unseen (id INT PRIMARY KEY)")).build(), quiet);
        quiet.get();
        assertNull(schema.current().table("unseen"), "no reload without reload_schema");

        Answer<ExecuteFetchAsDbaResponse> loud = new Answer<>();
        tm.executeFetchAsDba(ExecuteFetchAsDbaRequest.newBuilder().setReloadSchema(true)
                .setQuery(ByteString.copyFromUtf8("ALTER TABLE customers ADD COLUMN email VARCHAR(64)")).build(), loud);
        loud.get();
        assertNotNull(schema.current().table("customers").column("email"));
        assertNotNull(schema.current().table("unseen"));
    }

    @Test
    void periodicReloadSeesChangesMadeBehindTheTabletsBack() {
        try (SchemaEngine periodic = SchemaEngine.open(mysqld, DB, "_vt", Duration.ofMillis(200),
                new SimpleMeterRegistry())) {
            AtomicReference<SchemaChange> heard = new AtomicReference<>();
            periodic.addListener((change, snapshot) -> heard.compareAndSet(null, change));
            mysqld.executeAll(List.of("CREATE TABLE " + DB + ".behind (id INT PRIMARY KEY)"));
            // Listeners run after the new snapshot is swapped in: wait for what they heard, not for the snapshot.
            TabletTestSupport.await("the periodic reload to report the table", WAIT, () -> heard.get() != null);
            assertEquals(List.of("behind"), heard.get().created());
            assertNotNull(periodic.current().table("behind"));
        }
    }

    @Test
    void openRefusesTheSidecarAsTheTabletDatabase() {
        MosaicException e = org.junit.jupiter.api.Assertions.assertThrows(MosaicException.class,
                () -> SchemaEngine.open(mysqld, "_vt", "_vt", Duration.ZERO, new SimpleMeterRegistry()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("sidecar"), e.getMessage());
    }
}
