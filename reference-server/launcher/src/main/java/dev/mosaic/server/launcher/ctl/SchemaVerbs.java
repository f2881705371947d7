package dev.mosaic.server.launcher.ctl;

import dev.mosaic.api.json.Json;
import dev.mosaic.proto.tabletmanager.TableDefinition;
import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.proto.vtctldata.ApplySchemaRequest;
import dev.mosaic.proto.vtctldata.ApplySchemaResponse;
import dev.mosaic.proto.vtctldata.ApplyVSchemaRequest;
import dev.mosaic.proto.vtctldata.ApplyVSchemaResponse;
import dev.mosaic.proto.vtctldata.GetSchemaRequest;
import dev.mosaic.proto.vtctldata.GetSchemaResponse;
import dev.mosaic.proto.vtctldata.GetVSchemaRequest;
import dev.mosaic.proto.vtctldata.GetVSchemaResponse;
import dev.mosaic.proto.vtctldata.InitializeSequencesRequest;
import dev.mosaic.proto.vtctldata.InitializeSequencesResponse;
import dev.mosaic.proto.vtctldata.SequenceState;
import dev.mosaic.proto.vtctldata.ShardSchemaResult;
import dev.mosaic.proto.vtctldata.VtctldGrpc.VtctldBlockingStub;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The schema and vschema verbs. */
final class SchemaVerbs {
    private SchemaVerbs() {
    }

    /** The text of {@code file}, named by {@code flag} in the usage error if it cannot be read. */
    static String read(Verb verb, String flag, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw verb.usage("cannot read " + flag + " " + file + ": " + e);
        }
    }

    @Command(name = "ApplySchema", description = {"Apply DDL to every shard of a keyspace, on each shard's"
            + " primary (the replicas get it by replication).",
        "Prints one line per shard; exits 1 if any shard failed. Only --ddl-strategy direct is supported."})
    static final class ApplySchema extends Verb {
        @Option(names = "--sql", paramLabel = "SQL",
                description = "Statements to apply (repeatable; one value may hold several, separated by ';').")
        List<String> sql = new ArrayList<>();

        @Option(names = "--sql-file", paramLabel = "FILE", description = "A file of statements separated by ';'.")
        Path sqlFile;

        @Option(names = "--ddl-strategy", paramLabel = "STRATEGY", defaultValue = "direct",
                description = "How DDL runs; only direct (run it as is on each primary) is supported (default: ${DEFAULT-VALUE}).")
        String ddlStrategy;

        @Option(names = "--wait-replicas-timeout", paramLabel = "DURATION", converter = Converters.GoDuration.class,
                description = "How long each shard's replicas get to catch up with their primary before the DDL runs"
                        + " (default: no wait).")
        java.time.Duration waitReplicasTimeout;

        @Parameters(index = "0", paramLabel = "KEYSPACE", description = "The keyspace.")
        String keyspace;

        private final List<String> statements = new ArrayList<>();

        @Override
        void validate() {
            if (sql.isEmpty() == (sqlFile == null)) {
                throw usage("give the statements with --sql or --sql-file (exactly one of them)");
            }
            if (sqlFile != null) {
                statements.add(read(this, "--sql-file", sqlFile));
            } else {
                statements.addAll(sql);
            }
            if (statements.stream().allMatch(String::isBlank)) {
                throw usage("no SQL to apply");
            }
        }

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            ApplySchemaRequest.Builder req = ApplySchemaRequest.newBuilder().setKeyspace(keyspace).addAllSql(statements)
                    .setDdlStrategy(ddlStrategy);
            if (waitReplicasTimeout != null) {
                req.setWaitReplicasTimeout(ShardVerbs.proto(waitReplicasTimeout));
            }
            ApplySchemaResponse r = ctld.applySchema(req.build());
            boolean failed = r.getShardResultsList().stream().anyMatch(s -> !s.getError().isEmpty());
            if (json()) {
                out.println(Output.json(r));
            } else {
                r.getUuidListList().forEach(out::println);
                for (ShardSchemaResult s : r.getShardResultsList()) {
                    String where = keyspace + "/" + s.getShard()
                            + (s.hasTabletAlias() ? " (" + Converters.alias(s.getTabletAlias()) + ")" : "");
                    out.println(s.getError().isEmpty()
                            ? where + ": applied, " + s.getRowsAffected() + " rows affected"
                            : where + ": FAILED: " + s.getError());
                }
            }
            if (failed) {
                out.flush();
                spec.commandLine().getErr().println("error: ApplySchema failed on "
                        + r.getShardResultsList().stream().filter(s -> !s.getError().isEmpty()).count() + " of "
                        + r.getShardResultsCount() + " shards of " + keyspace);
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "GetSchema", description = {"Print a tablet's schema (tables with their CREATE statements,"
            + " columns and primary keys) as JSON.", "With --table-names-only, one table name per line."})
    static final class GetSchema extends Verb {
        @Option(names = "--tables", paramLabel = "TABLE", split = ",",
                description = "Only these tables (repeatable or comma-separated; /regexp/ allowed).")
        List<String> tables = new ArrayList<>();

        @Option(names = "--exclude-tables", paramLabel = "TABLE", split = ",",
                description = "Leave these tables out (repeatable or comma-separated; /regexp/ allowed).")
        List<String> excludeTables = new ArrayList<>();

        @Option(names = "--include-views", description = "Include views.")
        boolean includeViews;

        @Option(names = {"-n", "--table-names-only"}, description = "Print only the table names, one per line.")
        boolean tableNamesOnly;

        @Option(names = "--table-schema-only", description = "Only the CREATE statements: skip columns and field metadata.")
        boolean tableSchemaOnly;

        @Parameters(index = "0", paramLabel = "TABLET_ALIAS", converter = Converters.Alias.class,
                description = "The tablet, e.g. zone1-100.")
        TabletAlias alias;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            GetSchemaResponse r = ctld.getSchema(GetSchemaRequest.newBuilder().setTabletAlias(alias).addAllTables(tables)
                    .addAllExcludeTables(excludeTables).setIncludeViews(includeViews).setTableNamesOnly(tableNamesOnly)
                    .setTableSchemaOnly(tableSchemaOnly).build());
            if (json()) {
                out.println(Output.json(r));
            } else if (tableNamesOnly) {
                for (TableDefinition t : r.getSchema().getTableDefinitionsList()) {
                    out.println(t.getName());
                }
            } else {
                out.println(Output.json(r.getSchema()));
            }
            return 0;
        }
    }

    @Command(name = "ApplyVSchema", description = {"Store a keyspace's vschema (Vitess's JSON format) and"
            + " rebuild the serving vschema of the cells.", "Prints the vschema as stored."})
    static final class ApplyVSchema extends Verb {
        @Option(names = "--vschema", paramLabel = "JSON", description = "The vschema.")
        String vschema;

        @Option(names = "--vschema-file", paramLabel = "FILE", description = "A file holding the vschema.")
        Path vschemaFile;

        @Option(names = "--dry-run", description = "Check and print the vschema without storing it.")
        boolean dryRun;

        @Option(names = "--skip-rebuild", description = "Store it without rebuilding the serving vschema"
                + " (gates see it after the next RebuildVSchemaGraph).")
        boolean skipRebuild;

        @Option(names = "--cells", paramLabel = "CELL", split = ",",
                description = "Rebuild the serving vschema in these cells only (default: all).")
        List<String> cells = new ArrayList<>();

        @Parameters(index = "0", paramLabel = "KEYSPACE", description = "The keyspace.")
        String keyspace;

        private String text;

        @Override
        void validate() {
            if ((vschema == null) == (vschemaFile == null)) {
                throw usage("give the vschema with --vschema or --vschema-file (exactly one of them)");
            }
            text = vschema != null ? vschema : read(this, "--vschema-file", vschemaFile);
            try {
                Json.parse(text);
            } catch (RuntimeException e) {
                throw usage((vschema != null ? "--vschema" : "--vschema-file " + vschemaFile) + " is not JSON: "
                        + e.getMessage());
            }
        }

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            ApplyVSchemaResponse r = ctld.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace(keyspace)
                    .setVSchemaJson(text).setDryRun(dryRun).setSkipRebuild(skipRebuild).addAllCells(cells).build());
            if (json()) {
                out.println(Output.json(r));
            } else {
                out.println((dryRun ? "[DRY RUN] VSchema that would be stored:" : "New VSchema object:"));
                out.println(Output.prettyJson(r.getVSchemaJson()));
                out.println("If this is not what you expected, check the input data.");
            }
            return 0;
        }
    }

    @Command(name = "GetVSchema", description = "Print a keyspace's vschema as JSON (Vitess's format).")
    static final class GetVSchema extends Verb {
        @Parameters(index = "0", paramLabel = "KEYSPACE", description = "The keyspace.")
        String keyspace;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            GetVSchemaResponse r = ctld.getVSchema(GetVSchemaRequest.newBuilder().setKeyspace(keyspace).build());
            out.println(json() ? Output.json(r) : Output.prettyJson(r.getVSchemaJson()));
            return 0;
        }
    }

    @Command(name = "InitializeSequences", description = {"(Mosaic) Create the sequence tables a sharded"
            + " keyspace's auto_increment columns name, and set each next_id past the highest id stored.",
        "Prints one line per sequence."})
    static final class InitializeSequences extends Verb {
        @Option(names = "--cache", paramLabel = "N",
                description = "Ids a gate reserves per fetch, stored in each sequence row (default: 1000).")
        Long cache;

        @Parameters(index = "0", paramLabel = "KEYSPACE", description = "The sharded keyspace.")
        String keyspace;

        @Override
        void validate() {
            if (cache != null && cache < 1) {
                throw usage("--cache must be at least 1, got " + cache);
            }
        }

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            InitializeSequencesRequest.Builder req = InitializeSequencesRequest.newBuilder().setKeyspace(keyspace);
            if (cache != null) {
                req.setCache(cache);
            }
            InitializeSequencesResponse r = ctld.initializeSequences(req.build());
            if (json()) {
                out.println(Output.json(r));
                return 0;
            }
            if (r.getSequencesCount() == 0) {
                out.println("No sequences in keyspace " + keyspace + ".");
            }
            for (SequenceState s : r.getSequencesList()) {
                List<String> done = new ArrayList<>();
                if (s.getCreatedTable()) {
                    done.add("created table");
                }
                if (s.getCreatedRow()) {
                    done.add("created row");
                }
                out.println(s.getSequence() + " -> " + s.getColumn() + ": next_id " + Long.toUnsignedString(s.getNextId())
                        + (done.isEmpty() ? "" : " (" + String.join(", ", done) + ")"));
            }
            return 0;
        }
    }
}
