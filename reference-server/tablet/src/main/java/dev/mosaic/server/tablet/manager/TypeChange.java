package dev.mosaic.server.tablet.manager;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.TabletType;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which type changes {@code ChangeType} may make, as Vitess's {@code topo.IsTrivialTypeChange}:
 * among the replicating non-primary types (REPLICA, RDONLY, SPARE, BACKUP, DRAINED) freely, and
 * RESTORE to SPARE. PRIMARY is never entered or left this way (that is a reparent: it moves the
 * shard's primary and the replication graph). As in Vitess's tablet manager, draining a tablet
 * that is already DRAINED is refused, so two callers cannot both claim it; any other change to the
 * current type is an accepted no-op.
 */
public final class TypeChange {
    private static final Set<TabletType> TRIVIAL = EnumSet.of(TabletType.REPLICA, TabletType.RDONLY,
            TabletType.SPARE, TabletType.BACKUP, TabletType.DRAINED);

    private TypeChange() {
    }

    /**
     * Checks a change of {@code alias} from {@code from} to {@code to}.
     *
     * @throws MosaicException INVALID_ARGUMENT for UNKNOWN or an unrecognized type; FAILED_PRECONDITION
     *     for a change that is not allowed (naming both types)
     */
    public static void check(TabletAlias alias, TabletType from, TabletType to) {
        if (to == null || to == TabletType.UNKNOWN || to == TabletType.UNRECOGNIZED) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "ChangeType needs a tablet type, got " + to);
        }
        if (from == TabletType.DRAINED && to == TabletType.DRAINED) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "Tablet: " + alias + ", is already drained");
        }
        if (to == TabletType.PRIMARY || from == TabletType.PRIMARY) {
            if (from == to) {
                return;
            }
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "tablet " + alias + " type change " + from
                    + " -> " + to + " is not an allowed transition for ChangeType; the primary changes only by "
                    + "reparenting (PlannedReparentShard, EmergencyReparentShard)");
        }
        if (from == to) {
            return;
        }
        boolean ok = (TRIVIAL.contains(from) && TRIVIAL.contains(to))
                || (from == TabletType.RESTORE && to == TabletType.SPARE);
        if (!ok) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "tablet " + alias + " type change " + from
                    + " -> " + to + " is not an allowed transition for ChangeType");
        }
    }
}
