package dev.mosaic.server.topo;

import com.google.protobuf.ByteString;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.proto.topo.TabletType;
import java.util.Optional;

/** Conversions between the api value types and their protobuf record forms. */
public final class ProtoConversions {
    private ProtoConversions() {
    }

    /** The proto form of a key range; the full range is encoded with empty start and end. */
    public static dev.mosaic.proto.topo.KeyRange toProto(KeyRange range) {
        return dev.mosaic.proto.topo.KeyRange.newBuilder()
                .setStart(ByteString.copyFrom(range.start().bytes()))
                .setEnd(ByteString.copyFrom(range.end().bytes()))
                .build();
    }

    /** The api form of a proto key range (an unset or empty one is the full range). */
    public static KeyRange fromProto(dev.mosaic.proto.topo.KeyRange range) {
        return KeyRange.of(KeyspaceId.of(range.getStart().toByteArray()), KeyspaceId.of(range.getEnd().toByteArray()));
    }

    /** The proto key range for a shard: absent for the full range, as Vitess leaves it unset. */
    public static Optional<dev.mosaic.proto.topo.KeyRange> shardKeyRange(String shardName) {
        KeyRange range = dev.mosaic.api.cluster.Shard.keyRangeOf(shardName);
        return range.isFull() ? Optional.empty() : Optional.of(toProto(range));
    }

    /** The proto form of a tablet alias. */
    public static dev.mosaic.proto.topo.TabletAlias toProto(TabletAlias alias) {
        return dev.mosaic.proto.topo.TabletAlias.newBuilder().setCell(alias.cell()).setUid((int) alias.uid()).build();
    }

    /** The api form of a proto tablet alias (the uid is unsigned). */
    public static TabletAlias fromProto(dev.mosaic.proto.topo.TabletAlias alias) {
        return new TabletAlias(alias.getCell(), Integer.toUnsignedLong(alias.getUid()));
    }

    /** The proto form of a tablet type. */
    public static TabletType toProto(dev.mosaic.api.cluster.TabletType type) {
        return switch (type) {
            case PRIMARY -> TabletType.PRIMARY;
            case REPLICA -> TabletType.REPLICA;
            case RDONLY -> TabletType.RDONLY;
            case BACKUP -> TabletType.BACKUP;
            case RESTORE -> TabletType.RESTORE;
            case SPARE -> TabletType.SPARE;
            case DRAINED -> TabletType.DRAINED;
        };
    }

    /**
     * The api form of a proto tablet type.
     *
     * @throws IllegalArgumentException for {@code UNKNOWN} or an unrecognized number
     */
    public static dev.mosaic.api.cluster.TabletType fromProto(TabletType type) {
        return switch (type) {
            case PRIMARY -> dev.mosaic.api.cluster.TabletType.PRIMARY;
            case REPLICA -> dev.mosaic.api.cluster.TabletType.REPLICA;
            case RDONLY -> dev.mosaic.api.cluster.TabletType.RDONLY;
            case BACKUP -> dev.mosaic.api.cluster.TabletType.BACKUP;
            case RESTORE -> dev.mosaic.api.cluster.TabletType.RESTORE;
            case SPARE -> dev.mosaic.api.cluster.TabletType.SPARE;
            case DRAINED -> dev.mosaic.api.cluster.TabletType.DRAINED;
            case UNKNOWN, UNRECOGNIZED -> throw new IllegalArgumentException("tablet type " + type + " is not a valid tablet type");
        };
    }

    /** The plugin-facing view of a tablet record (what durability policies are asked about). */
    public static dev.mosaic.api.cluster.Tablet fromProto(dev.mosaic.proto.topo.Tablet t) {
        return new dev.mosaic.api.cluster.Tablet(fromProto(t.getAlias()), t.getHostname(),
                t.getPortMapOrDefault("grpc", 0), t.getPortMapOrDefault("web", 0), t.getMysqlHostname(),
                t.getMysqlPort(), t.getKeyspace(), t.getShard(), fromProto(t.getType()), t.getTagsMap());
    }
}
