package dev.mosaic.server.gate.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.sql.exec.ShardTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ShardMapTest {
    private static final List<ShardTarget> TWO = List.of(ShardTarget.named("-80"), ShardTarget.named("80-"));

    @Test
    void aSnapshotCopiesWhatItIsGiven() {
        Map<String, List<ShardTarget>> source = new HashMap<>();
        List<ShardTarget> shards = new ArrayList<>(TWO);
        source.put("ks", shards);
        ShardMap m = new ShardMap(source);
        source.put("other", List.of(ShardTarget.named("0")));
        shards.clear();
        assertEquals(TWO, m.shards("ks"));
        assertEquals(Map.of("ks", TWO), m.keyspaces());
        assertEquals(new ShardMap(Map.of("ks", TWO)), m);
    }

    @Test
    void aViewReadsTheCurrentSnapshotOnEveryCall() {
        AtomicReference<ShardMap> current = new AtomicReference<>(new ShardMap(Map.of("ks", List.of(ShardTarget.named("0")))));
        ShardMap view = ShardMap.view(current::get);
        assertEquals(List.of(ShardTarget.named("0")), view.shards("ks"));
        current.set(new ShardMap(Map.of("ks", TWO, "ks2", List.of(ShardTarget.named("0")))));
        assertEquals(TWO, view.shards("ks"));
        assertEquals(List.of(ShardTarget.named("0")), view.shards("ks2"));
    }

    @Test
    void aKeyspaceWithoutShardsIsNotFound() {
        ShardMap m = new ShardMap(Map.of("empty", List.of()));
        for (String ks : List.of("empty", "nosuch")) {
            MosaicException e = assertThrows(MosaicException.class, () -> m.shards(ks));
            assertEquals(ErrorCode.NOT_FOUND, e.code());
        }
    }
}
