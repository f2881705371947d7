package dev.mosaic.server.gate.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.VSchema;
import dev.mosaic.server.gate.executor.ShardMap;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The topology refresh on the in-memory topology store: what changes is installed, what does not is kept. */
class TopologyRefresherTest {
    private static final String T = """
            {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
             "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
            """;
    private static final String T_U = """
            {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
             "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]},
                        "u": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
            """;

    private final Plugins plugins = Plugins.load(TopologyRefresherTest.class.getClassLoader());
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    private TopoServer topo;
    private TopologyRefresher refresher;

    @BeforeEach
    void topology() {
        TopoConnector c = new TopoConnector(plugins);
        topo = c.openServer(c.target("memory:refresher-" + UUID.randomUUID(), Map.of()), TopoServer.Options.defaults());
        topo.createKeyspace("ks1", Keyspace.getDefaultInstance());
        topo.saveVSchema("ks1", KeyspaceVSchema.fromJson(T));
        topo.createShard("ks1", "-80");
        topo.createShard("ks1", "80-");
    }

    @AfterEach
    void close() {
        if (refresher != null) {
            refresher.close();
        }
        topo.close();
    }

    private TopologyRefresher start(List<String> keyspaces, Duration interval) {
        refresher = TopologyRefresher.start(topo, plugins, keyspaces, interval, 100, new SimpleMeterRegistry(), log);
        return refresher;
    }

    private static List<String> shards(ShardMap m, String ks) {
        return m.shards(ks).stream().map(ShardTarget::name).toList();
    }

    private static boolean hasTable(VSchemaSnapshot v, String ks, String table) {
        return v.keyspace(ks).orElseThrow().tables().containsKey(table);
    }

    @Test
    void readsVSchemaAndShardsAtStartAndKeepsThemWhenNothingChanged() {
        TopologyRefresher r = start(List.of(), Duration.ofHours(1));
        VSchemaSnapshot first = r.planner().vschema();
        assertTrue(hasTable(first, "ks1", "t"));
        assertEquals(List.of("-80", "80-"), shards(r.shardMap(), "ks1"));
        assertEquals(1, r.state().vschemaChanges());

        r.refresh();
        assertSame(first, r.planner().vschema(), "an unchanged vschema is not rebuilt (the plan cache stays)");
        assertEquals(1, r.state().vschemaChanges());
    }

    @Test
    void aChangedVSchemaANewKeyspaceAndNewShardsAreInstalled() {
        TopologyRefresher r = start(List.of(), Duration.ofHours(1));
        ShardMap view = r.shardMap();
        topo.saveVSchema("ks1", KeyspaceVSchema.fromJson(T_U));
        topo.createKeyspace("ks2", Keyspace.getDefaultInstance());
        topo.createShard("ks2", "0");
        r.refresh();
        assertTrue(hasTable(r.planner().vschema(), "ks1", "u"));
        assertTrue(r.planner().vschema().keyspace("ks2").isPresent(), "a keyspace without vschema is served unsharded");
        assertEquals(List.of("0"), shards(view, "ks2"), "the executor's view sees the new snapshot");
        assertEquals(List.of("ks1", "ks2"), r.state().keyspaces());
        assertEquals(2, r.state().vschemaChanges());
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("installed a new vschema"));
    }

    @Test
    void configuredKeyspacesLimitWhatIsServed() {
        topo.createKeyspace("ks2", Keyspace.getDefaultInstance());
        topo.createShard("ks2", "0");
        TopologyRefresher r = start(List.of("ks1"), Duration.ofHours(1));
        assertEquals(List.of("ks1"), r.state().keyspaces());
        assertTrue(r.planner().vschema().keyspace("ks2").isEmpty());
        assertEquals(Map.of("ks1", List.of(ShardTarget.named("-80"), ShardTarget.named("80-"))),
                r.shardMap().keyspaces());
    }

    @Test
    void aBadVSchemaKeepsTheLastGoodStateAndIsReported() throws Exception {
        TopologyRefresher r = start(List.of(), Duration.ofMillis(50));
        VSchemaSnapshot good = r.planner().vschema();
        // Stored as raw JSON: a vindex type no plugin provides.
        topo.globalStore().update(dev.mosaic.server.topo.TopoPaths.vschema("ks1"), VSchema.newBuilder().setJson(
                "{\"sharded\": true, \"vindexes\": {\"v\": {\"type\": \"nosuch\"}}, \"tables\": {}}").build()
                .toByteArray(), java.util.Optional.empty());
        assertThrows(RuntimeException.class, r::refresh);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (r.state().lastError().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the background refresh reports the failure");
            Thread.sleep(20);
        }
        assertTrue(r.state().lastError().contains("nosuch"), r.state().lastError());
        assertSame(good, r.planner().vschema(), "the last good vschema stays");
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("topology refresh failed"));

        topo.saveVSchema("ks1", KeyspaceVSchema.fromJson(T_U));
        while (!r.state().lastError().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "a good vschema clears the error");
            Thread.sleep(20);
        }
        assertTrue(hasTable(r.planner().vschema(), "ks1", "u"));
    }
}
