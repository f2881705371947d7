package dev.mosaic.server.launcher.ctl;

import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.proto.vtctldata.ChangeTabletTypeRequest;
import dev.mosaic.proto.vtctldata.ChangeTabletTypeResponse;
import dev.mosaic.proto.vtctldata.ExecuteFetchAsDBARequest;
import dev.mosaic.proto.vtctldata.ExecuteFetchAsDBAResponse;
import dev.mosaic.proto.vtctldata.GetTabletRequest;
import dev.mosaic.proto.vtctldata.GetTabletsRequest;
import dev.mosaic.proto.vtctldata.GetTabletsResponse;
import dev.mosaic.proto.vtctldata.VtctldGrpc.VtctldBlockingStub;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The tablet verbs. */
final class TabletVerbs {
    private TabletVerbs() {
    }

    @Command(name = "GetTablets", description = {"List tablets, one line each: alias keyspace shard type"
            + " host:web-port mysql-host:mysql-port [tags] primary-term-start (vtctldclient's format).",
        "Without filters, every tablet of every cell."})
    static final class GetTablets extends Verb {
        @Option(names = {"-k", "--keyspace"}, paramLabel = "KEYSPACE", description = "Only this keyspace's tablets.")
        String keyspace = "";

        @Option(names = {"-s", "--shard"}, paramLabel = "SHARD", description = "Only this shard's (needs --keyspace).")
        String shard = "";

        @Option(names = {"-c", "--cell"}, paramLabel = "CELL", split = ",",
                description = "Only these cells' tablets (repeatable, or comma-separated).")
        List<String> cells = new ArrayList<>();

        @Option(names = "--strict", description = "Fail when a cell cannot be read instead of listing what could be.")
        boolean strict;

        @Option(names = {"-t", "--tablet-alias"}, paramLabel = "ALIAS", split = ",", converter = Converters.Alias.class,
                description = "Only these tablets (repeatable, or comma-separated); not with --keyspace/--shard.")
        List<TabletAlias> aliases = new ArrayList<>();

        @Option(names = "--tablet-type", paramLabel = "TYPE", converter = Converters.Type.class,
                description = "Only tablets of this type (primary, replica, rdonly, ...).")
        TabletType tabletType;

        @Option(names = "--format", paramLabel = "awk|json", defaultValue = "awk",
                description = "awk: one line per tablet (default); json: the tablet records as a JSON array.")
        String format;

        @Override
        void validate() {
            if (!shard.isEmpty() && keyspace.isEmpty()) {
                throw usage("--shard needs --keyspace");
            }
            if (!aliases.isEmpty() && !keyspace.isEmpty()) {
                throw usage("--tablet-alias cannot be combined with --keyspace or --shard");
            }
            if (!format.equals("awk") && !format.equals("json")) {
                throw usage("--format must be awk or json, got '" + format + "'");
            }
        }

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            GetTabletsRequest.Builder req = GetTabletsRequest.newBuilder().setKeyspace(keyspace).setShard(shard)
                    .addAllCells(cells).setStrict(strict).addAllTabletAliases(aliases);
            if (tabletType != null) {
                req.setTabletType(tabletType);
            }
            GetTabletsResponse r = ctld.getTablets(req.build());
            if (json()) {
                out.println(Output.json(r));
            } else if (format.equals("json")) {
                out.println(Output.jsonArray(r.getTabletsList()));
            } else {
                for (Tablet t : r.getTabletsList()) {
                    out.println(Output.tabletLine(t));
                }
            }
            return 0;
        }
    }

    @Command(name = "GetTablet", description = "Print a tablet record as JSON.")
    static final class GetTablet extends Verb {
        @Parameters(index = "0", paramLabel = "TABLET_ALIAS", converter = Converters.Alias.class,
                description = "The tablet, e.g. zone1-100 or zone1-0000000100.")
        TabletAlias alias;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            var r = ctld.getTablet(GetTabletRequest.newBuilder().setTabletAlias(alias).build());
            out.println(json() ? Output.json(r) : Output.json(r.getTablet()));
            return 0;
        }
    }

    @Command(name = "ChangeTabletType", description = {"Change a non-primary tablet's type (replica, rdonly,"
            + " spare, drained); the tablet updates its record and its serving state.",
        "Primaries change only by reparenting (InitShardPrimary)."})
    static final class ChangeTabletType extends Verb {
        @Option(names = {"-d", "--dry-run"}, description = "Show the change without making it.")
        boolean dryRun;

        @Parameters(index = "0", paramLabel = "TABLET_ALIAS", converter = Converters.Alias.class,
                description = "The tablet, e.g. zone1-101.")
        TabletAlias alias;

        @Parameters(index = "1", paramLabel = "TYPE", converter = Converters.Type.class,
                description = "The new type: replica, rdonly, spare, drained.")
        TabletType type;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            ChangeTabletTypeResponse r = ctld.changeTabletType(ChangeTabletTypeRequest.newBuilder()
                    .setTabletAlias(alias).setDbType(type).setDryRun(dryRun).build());
            if (json()) {
                out.println(Output.json(r));
                return 0;
            }
            String before = r.getBeforeTablet().getType().name().toLowerCase(Locale.ROOT);
            String after = r.getAfterTablet().getType().name().toLowerCase(Locale.ROOT);
            out.println(r.getWasDryRun()
                    ? "[DRY RUN] Would change tablet " + Converters.alias(alias) + " from " + before + " to " + after + "."
                    : "Successfully changed tablet " + Converters.alias(alias) + " from " + before + " to " + after + ".");
            return 0;
        }
    }

    @Command(name = "ExecuteFetchAsDBA", description = {"Run one SQL statement on a tablet's mysqld as the DBA"
            + " user and print the result as a table (with --json: fields and rows as JSON)."})
    static final class ExecuteFetchAsDBA extends Verb {
        @Option(names = "--max-rows", paramLabel = "N", defaultValue = "10000",
                description = "Fail rather than return more rows than this (default: ${DEFAULT-VALUE}).")
        long maxRows;

        @Option(names = "--disable-binlogs", description = "Run with sql_log_bin = 0: the statement does not replicate.")
        boolean disableBinlogs;

        @Option(names = "--reload-schema", description = "Reload the tablet's schema afterwards (after DDL).")
        boolean reloadSchema;

        @Parameters(index = "0", paramLabel = "TABLET_ALIAS", converter = Converters.Alias.class,
                description = "The tablet, e.g. zone1-100.")
        TabletAlias alias;

        @Parameters(index = "1", paramLabel = "QUERY", description = "The statement.")
        String query;

        @Override
        void validate() {
            if (maxRows < 1) {
                throw usage("--max-rows must be at least 1, got " + maxRows);
            }
            if (query.isBlank()) {
                throw usage("QUERY is empty");
            }
        }

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            ExecuteFetchAsDBAResponse r = ctld.executeFetchAsDBA(ExecuteFetchAsDBARequest.newBuilder()
                    .setTabletAlias(alias).setQuery(query).setMaxRows(maxRows).setDisableBinlogs(disableBinlogs)
                    .setReloadSchema(reloadSchema).build());
            out.println(json() ? Output.resultJson(r.getResult()) : Output.table(r.getResult()));
            return 0;
        }
    }
}
