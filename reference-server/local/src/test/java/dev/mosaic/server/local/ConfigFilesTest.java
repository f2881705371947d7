package dev.mosaic.server.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.server.ctld.process.CtldServerConfig;
import dev.mosaic.server.ctld.process.CtldServerConfigLoader;
import dev.mosaic.server.gate.process.GateServerConfig;
import dev.mosaic.server.gate.process.GateServerConfigLoader;
import dev.mosaic.server.tablet.server.TabletServerConfig;
import dev.mosaic.server.tablet.server.TabletServerConfigLoader;
import dev.mosaic.spi.Plugins;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The generated files pass each process's own loader, with the ports and topology of the layout. */
class ConfigFilesTest {
    private static final Plugins PLUGINS = Plugins.load(ConfigFilesTest.class.getClassLoader());
    private static final Path DATA = Path.of("/tmp/local-config-test");

    @ParameterizedTest
    @EnumSource(TopoKind.class)
    void everyFileLoads(TopoKind kind) {
        List<String> section = LocalTopo.yamlSection(kind);
        ClusterLayout layout = ClusterLayout.of(new LocalOptions(2, 1, kind, DATA, true));
        ClusterLayout.TabletSpec t = layout.tablets().get(2);

        TabletServerConfig tablet = new TabletServerConfigLoader(PLUGINS).parse(ConfigFiles.tablet(t, DATA, section), "t.yaml");
        assertEquals("zone1-0000000300", tablet.tablet().alias().toString());
        assertEquals("customer", tablet.tablet().keyspace());
        assertEquals("-80", tablet.tablet().shard());
        assertEquals(16300, tablet.grpc().port());
        assertEquals(15300, tablet.status().port());
        assertEquals(17300, tablet.mysqld().port());
        assertEquals(DATA.resolve("mysql"), tablet.mysqld().root());
        assertEquals(kind.flag(), tablet.topo().type());
        // Backups: file storage under the data directory, the builtin engine, no restore at start.
        var storage = tablet.backup().storage().orElseThrow();
        assertEquals("file", storage.type());
        assertEquals(Map.of("root", DATA.resolve("backups").toString()), storage.pluginConfig());
        assertEquals("builtin", tablet.backup().engine());
        assertEquals(false, tablet.backup().restoreFromBackup());

        GateServerConfig gate = new GateServerConfigLoader(PLUGINS).parse(ConfigFiles.gate(section), "g.yaml");
        assertEquals(15306, gate.mysql().port());
        assertEquals(15001, gate.status().port());
        assertEquals(Duration.ofSeconds(1), gate.topoRefreshInterval());

        CtldServerConfig ctld = new CtldServerConfigLoader(PLUGINS).parse(ConfigFiles.ctld(DATA, section), "c.yaml");
        assertEquals(15999, ctld.grpc().port());
        assertEquals(15000, ctld.status().port());
        assertEquals(List.of(URI.create("http://127.0.0.1:15001/debug/status")), ctld.gateLinks());
        assertEquals(tablet.topo(), ctld.topo());
        assertEquals(tablet.backup().storage(), ctld.backupStorage(), "ctld lists the tablets' backups");
        assertEquals(gate.topo(), ctld.topo());
        if (kind == TopoKind.ETCD) {
            assertEquals(Map.of("endpoints", "http://127.0.0.1:2379", "root", "/mosaic/global"), ctld.topo().pluginConfig());
        }
    }
}
