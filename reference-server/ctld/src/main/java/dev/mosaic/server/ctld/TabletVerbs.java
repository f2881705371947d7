package dev.mosaic.server.ctld;

import static dev.mosaic.server.ctld.CtldErrors.invalid;
import static dev.mosaic.server.ctld.CtldErrors.precondition;

import com.google.protobuf.ByteString;
import dev.mosaic.proto.tabletmanager.ChangeTypeRequest;
import dev.mosaic.proto.tabletmanager.ExecuteFetchAsDbaRequest;
import dev.mosaic.proto.tabletmanager.SchemaDefinition;
import dev.mosaic.proto.tabletmanager.TableDefinition;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.proto.vtctldata.ChangeTabletTypeRequest;
import dev.mosaic.proto.vtctldata.ChangeTabletTypeResponse;
import dev.mosaic.proto.vtctldata.ExecuteFetchAsDBARequest;
import dev.mosaic.proto.vtctldata.ExecuteFetchAsDBAResponse;
import dev.mosaic.proto.vtctldata.GetSchemaRequest;
import dev.mosaic.proto.vtctldata.GetSchemaResponse;
import dev.mosaic.server.topo.ProtoConversions;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/** The verbs that act on one tablet through its TabletManager service. */
final class TabletVerbs {
    /**
     * The types ChangeTabletType moves between freely (Vitess's trivial type changes); RESTORE may
     * also become SPARE. PRIMARY is entered and left only by reparenting.
     */
    private static final Set<TabletType> TRIVIAL = EnumSet.of(TabletType.REPLICA, TabletType.RDONLY,
            TabletType.SPARE, TabletType.BACKUP, TabletType.DRAINED);

    private final TopologyReads reads;
    private final TabletManagerClients tablets;
    private final Durability durability;

    TabletVerbs(TopologyReads reads, TabletManagerClients tablets, Durability durability) {
        this.reads = reads;
        this.tablets = tablets;
        this.durability = durability;
    }

    GetSchemaResponse getSchema(GetSchemaRequest req) {
        Tablet tablet = reads.tablet(req.getTabletAlias());
        var tmReq = dev.mosaic.proto.tabletmanager.GetSchemaRequest.newBuilder()
                .addAllTables(req.getTablesList())
                .addAllExcludeTables(req.getExcludeTablesList())
                .setIncludeViews(req.getIncludeViews())
                .setTableSchemaOnly(req.getTableSchemaOnly() || req.getTableNamesOnly())
                .build();
        SchemaDefinition schema = tablets.call(tablet, "GetSchema", s -> s.getSchema(tmReq)).getSchemaDefinition();
        if (req.getTableNamesOnly()) {
            SchemaDefinition.Builder names = SchemaDefinition.newBuilder();
            for (TableDefinition t : schema.getTableDefinitionsList()) {
                names.addTableDefinitions(TableDefinition.newBuilder().setName(t.getName()).setType(t.getType()));
            }
            schema = names.build();
        }
        return GetSchemaResponse.newBuilder().setSchema(schema).build();
    }

    ExecuteFetchAsDBAResponse executeFetchAsDba(ExecuteFetchAsDBARequest req) {
        if (req.getQuery().isBlank()) {
            throw invalid("query is empty");
        }
        Tablet tablet = reads.tablet(req.getTabletAlias());
        var tmReq = ExecuteFetchAsDbaRequest.newBuilder()
                .setQuery(ByteString.copyFrom(req.getQuery(), StandardCharsets.UTF_8))
                .setMaxRows(req.getMaxRows())
                .setDisableBinlogs(req.getDisableBinlogs())
                .setReloadSchema(req.getReloadSchema())
                .build();
        var result = tablets.call(tablet, "ExecuteFetchAsDba", s -> s.executeFetchAsDba(tmReq)).getResult();
        return ExecuteFetchAsDBAResponse.newBuilder().setResult(result).build();
    }

    /**
     * Changes a tablet's type through its tablet manager (which writes its record). Refuses
     * UNKNOWN, any change to or from PRIMARY (that is InitShardPrimary or a reparent), and changes
     * outside the trivial set; a change to the current type is a no-op. {@code dry_run} only checks.
     */
    ChangeTabletTypeResponse changeTabletType(ChangeTabletTypeRequest req) {
        Tablet before = reads.tablet(req.getTabletAlias());
        TabletType to = req.getDbType();
        if (to == TabletType.UNKNOWN || to == TabletType.UNRECOGNIZED) {
            throw invalid("db_type is required (REPLICA, RDONLY, SPARE, BACKUP, DRAINED)");
        }
        var alias = ProtoConversions.fromProto(before.getAlias());
        TabletType from = before.getType();
        if (from == TabletType.PRIMARY || to == TabletType.PRIMARY) {
            throw precondition("tablet " + alias + " type change " + from + " -> " + to + " is not allowed by "
                    + "ChangeTabletType: the primary changes only through InitShardPrimary or a reparent");
        }
        boolean allowed = from == to || (TRIVIAL.contains(from) && TRIVIAL.contains(to))
                || (from == TabletType.RESTORE && to == TabletType.SPARE);
        if (!allowed) {
            throw precondition("tablet " + alias + " type change " + from + " -> " + to
                    + " is not an allowed transition for ChangeTabletType");
        }
        Tablet expected = before.toBuilder().setType(to).build();
        if (req.getDryRun()) {
            return ChangeTabletTypeResponse.newBuilder().setBeforeTablet(before).setAfterTablet(expected)
                    .setWasDryRun(true).build();
        }
        if (from != to) {
            boolean semiSync = durability.replicaSemiSync(before.getKeyspace(), before.getShard(), expected);
            tablets.call(before, "ChangeType", s -> s.changeType(ChangeTypeRequest.newBuilder().setTabletType(to)
                    .setSemiSync(semiSync).build()));
        }
        Tablet after = reads.tablet(req.getTabletAlias());
        return ChangeTabletTypeResponse.newBuilder().setBeforeTablet(before).setAfterTablet(after).build();
    }
}
