package dev.mosaic.server.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterLayoutTest {
    private static LocalOptions options(int shards, int replicas, TopoKind topo) {
        return new LocalOptions(shards, replicas, topo, Path.of("/tmp/local-test"), true);
    }

    static Stream<Arguments> layouts() {
        return Stream.of(
                // shards, replicas, expected "target uid [P]" per tablet
                Arguments.of(2, 1, List.of("commerce/0 100 P", "commerce/0 101", "customer/-80 300 P", "customer/-80 301",
                        "customer/80- 400 P", "customer/80- 401")),
                Arguments.of(1, 0, List.of("commerce/0 100 P", "customer/- 300 P")),
                Arguments.of(4, 2, List.of("commerce/0 100 P", "commerce/0 101", "commerce/0 102",
                        "customer/-40 300 P", "customer/-40 301", "customer/-40 302",
                        "customer/40-80 400 P", "customer/40-80 401", "customer/40-80 402",
                        "customer/80-c0 500 P", "customer/80-c0 501", "customer/80-c0 502",
                        "customer/c0- 600 P", "customer/c0- 601", "customer/c0- 602")),
                Arguments.of(3, 0, List.of("commerce/0 100 P", "customer/-55 300 P", "customer/55-aa 400 P",
                        "customer/aa- 500 P")));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void uidsFollowVitesssLocalExample(int shards, int replicas, List<String> expected) {
        ClusterLayout l = ClusterLayout.of(options(shards, replicas, TopoKind.MEMORY));
        assertEquals(expected, l.tablets().stream()
                .map(t -> t.target() + " " + t.uid() + (t.primary() ? " P" : "")).toList());
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void portsAreTheExamplesAndDistinct(int shards, int replicas, List<String> ignored) {
        ClusterLayout l = ClusterLayout.of(options(shards, replicas, TopoKind.ETCD));
        ClusterLayout.TabletSpec first = l.tablets().get(0);
        assertEquals(16100, first.grpcPort());
        assertEquals(15100, first.statusPort());
        assertEquals(17100, first.mysqlPort());
        assertEquals("zone1-0000000100", first.alias().toString());
        // 3 per tablet, ctld 2, gate 2, etcd 2: ports() throws on any collision, so the size proves none
        assertEquals(3 * l.tablets().size() + 6, l.ports().size());
        assertEquals("gate MySQL", l.ports().get(15306));
        assertEquals("ctld gRPC", l.ports().get(15999));
    }

    @ParameterizedTest
    @MethodSource("topologies")
    void theLargestLayoutHasNoSharedPort(TopoKind topo) {
        ClusterLayout l = ClusterLayout.of(options(LocalOptions.MAX_SHARDS, LocalOptions.MAX_REPLICAS, topo));
        int topoPorts = switch (topo) {
            case MEMORY -> 0;
            case ETCD -> 2;
            case ZK -> 1;
        };
        assertEquals(3 * l.tablets().size() + 4 + topoPorts, l.ports().size());
        assertTrue(l.ports().keySet().stream().allMatch(p -> p > 1024 && p < 65536));
    }

    static Stream<TopoKind> topologies() {
        return Stream.of(TopoKind.values());
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void targetsListEveryShardOnceInOrder(int shards, int replicas, List<String> expected) {
        ClusterLayout l = ClusterLayout.of(options(shards, replicas, TopoKind.MEMORY));
        assertEquals(expected.stream().map(s -> s.split(" ")[0]).distinct().toList(), l.targets());
        assertEquals(1 + replicas, l.shard("commerce", "0").size());
        assertTrue(l.shard("commerce", "0").get(0).primary());
    }
}
