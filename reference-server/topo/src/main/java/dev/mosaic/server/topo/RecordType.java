package dev.mosaic.server.topo;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.KeyspaceRoutingRules;
import dev.mosaic.proto.topo.RoutingRules;
import dev.mosaic.proto.topo.Shard;
import dev.mosaic.proto.topo.ShardReplication;
import dev.mosaic.proto.topo.ShardRoutingRules;
import dev.mosaic.proto.topo.SrvKeyspace;
import dev.mosaic.proto.topo.SrvVSchema;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.VSchema;
import java.util.Optional;

/**
 * The record types of the topology, each identified by its file name as in Vitess (so any path
 * ending in {@code /Shard} holds a {@link Shard}).
 */
public enum RecordType {
    CELL_INFO(TopoPaths.CELL_INFO_FILE, CellInfo.parser()),
    KEYSPACE(TopoPaths.KEYSPACE_FILE, Keyspace.parser()),
    SHARD(TopoPaths.SHARD_FILE, Shard.parser()),
    VSCHEMA(TopoPaths.VSCHEMA_FILE, VSchema.parser()),
    SHARD_REPLICATION(TopoPaths.SHARD_REPLICATION_FILE, ShardReplication.parser()),
    TABLET(TopoPaths.TABLET_FILE, Tablet.parser()),
    SRV_VSCHEMA(TopoPaths.SRV_VSCHEMA_FILE, SrvVSchema.parser()),
    SRV_KEYSPACE(TopoPaths.SRV_KEYSPACE_FILE, SrvKeyspace.parser()),
    ROUTING_RULES(TopoPaths.ROUTING_RULES_FILE, RoutingRules.parser()),
    SHARD_ROUTING_RULES(TopoPaths.SHARD_ROUTING_RULES_FILE, ShardRoutingRules.parser()),
    KEYSPACE_ROUTING_RULES(TopoPaths.KEYSPACE_ROUTING_RULES_FILE, KeyspaceRoutingRules.parser());

    private final String fileName;
    private final Parser<? extends Message> parser;

    RecordType(String fileName, Parser<? extends Message> parser) {
        this.fileName = fileName;
        this.parser = parser;
    }

    /** The file name records of this type are stored under. */
    public String fileName() {
        return fileName;
    }

    /** The type of the record at {@code path}, judged by its last segment. */
    public static Optional<RecordType> forPath(String path) {
        String base = TopoPaths.baseName(path);
        for (RecordType t : values()) {
            if (t.fileName.equals(base)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * Decodes a record of this type.
     *
     * @throws MosaicException {@code DATA_LOSS} naming the path if the bytes are not such a record
     */
    public Message parse(String path, byte[] bytes) {
        return decode(parser, path, bytes);
    }

    static <T> T decode(Parser<T> parser, String path, byte[] bytes) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new MosaicException(ErrorCode.DATA_LOSS, "topology record at '" + path
                    + "' is not a valid protobuf record: " + e.getMessage(), e);
        }
    }
}
