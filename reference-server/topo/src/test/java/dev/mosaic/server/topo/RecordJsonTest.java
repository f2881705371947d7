package dev.mosaic.server.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.api.json.Json;
import dev.mosaic.proto.topo.Shard;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordJsonTest {
    @Test
    void recordsAreDecodedByFileName() {
        Shard shard = Shard.newBuilder().setKeyRange(Fixtures.range("40-80")).setIsPrimaryServing(true).build();
        assertEquals(Json.parse("{\"key_range\":{\"start\":\"40\",\"end\":\"80\"},\"is_primary_serving\":true}"),
                RecordJson.decode("keyspaces/ks/shards/40-80/Shard", shard.toByteArray()));
        assertEquals(Json.parse("{\"json\":" + Fixtures.SHARDED.toJson() + "}"),
                RecordJson.decode("keyspaces/ks/VSchema", TopoServer.vschemaRecord(Fixtures.SHARDED).toByteArray()));
    }

    @Test
    void otherFilesAreJsonTextOrHex() {
        assertEquals(Json.parse("{\"a\":1}"), RecordJson.decode("x/y", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Json.of("hello"), RecordJson.decode("x/y", "hello".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Json.parse("{\"hex\":\"00ff\"}"), RecordJson.decode("x/y", new byte[] {0, (byte) 0xff}));
    }
}
