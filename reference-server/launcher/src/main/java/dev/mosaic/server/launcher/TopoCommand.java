package dev.mosaic.server.launcher;

import dev.mosaic.api.json.JsonObject;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.server.topo.RecordJson;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.server.topo.TopoCopy;
import dev.mosaic.server.topo.TopoPaths;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.topo.DirEntry;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.Versioned;
import dev.mosaic.spi.topo.Watch;
import dev.mosaic.spi.topo.WatchEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mosaic topo ...}: operator tools for the topology store. Paths are written as Vitess's
 * {@code TopoCat} writes them: {@code /global/keyspaces/commerce/Keyspace} for the global
 * topology, {@code /zone1/tablets/zone1-0000000100/Tablet} for a cell's (reached through its
 * CellInfo), {@code /} for the list of both; a path without a leading slash is global.
 */
@Command(name = "topo", description = "Inspect, watch and copy the topology store.",
        subcommands = {TopoCommand.Ls.class, TopoCommand.Cat.class, TopoCommand.WatchPath.class,
            TopoCommand.Copy.class, CommandLine.HelpCommand.class})
final class TopoCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand; see 'mosaic topo --help'");
    }

    /** Which store to talk to. */
    static final class Connection {
        @Option(names = "--topo", required = true, paramLabel = "TYPE[:ADDR]",
                description = "Topology plugin type, optionally with its server address (memory:NAME, etcd:ENDPOINTS, ...).")
        String topo;

        @Option(names = "--topo-config", paramLabel = "KEY=VALUE",
                description = "Plugin configuration (repeatable); see 'mosaic plugins --spi topo'.")
        Map<String, String> config = new LinkedHashMap<>();

        TopoServer open() {
            return openServer(topo, config);
        }
    }

    static TopoServer openServer(String spec, Map<String, String> config) {
        TopoConnector connector = new TopoConnector(Plugins.load(TopoCommand.class.getClassLoader()));
        return connector.openServer(connector.target(spec, config), TopoServer.Options.defaults());
    }

    /** A path split into its topology ({@code global} or a cell) and the path inside it. */
    record Location(String cell, String path) {
        static Location parse(String text) {
            if (!text.startsWith("/")) {
                return new Location(TopoPaths.GLOBAL_CELL, strip(text));
            }
            String rest = strip(text.substring(1));
            if (rest.isEmpty()) {
                return new Location("", "");
            }
            int slash = rest.indexOf('/');
            return slash < 0 ? new Location(rest, "") : new Location(rest.substring(0, slash), rest.substring(slash + 1));
        }

        private static String strip(String s) {
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            return s;
        }

        boolean isTop() {
            return cell.isEmpty();
        }

        TopoStore store(TopoServer server) {
            return server.cellStore(cell);
        }

        @Override
        public String toString() {
            return "/" + cell + (path.isEmpty() ? "" : "/" + path);
        }
    }

    /** {@code mosaic topo ls PATH}. */
    @Command(name = "ls", description = "List a topology directory: subdirectories end in '/'.")
    static final class Ls implements Runnable {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Mixin
        private Connection connection;

        @Parameters(index = "0", paramLabel = "PATH", defaultValue = "/", description = "Directory (default /).")
        private String path;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            Location loc = Location.parse(path);
            try (TopoServer server = connection.open()) {
                if (loc.isTop()) {
                    out.println(TopoPaths.GLOBAL_CELL + "/");
                    for (String cell : server.getCellInfoNames()) {
                        out.println(cell + "/");
                    }
                    return;
                }
                TopoStore store = loc.store(server);
                List<DirEntry> entries;
                try {
                    entries = store.listDir(loc.path());
                } catch (TopoException e) {
                    if (e.error() == TopoError.NO_NODE && !loc.path().isEmpty() && exists(store, loc.path())) {
                        out.println(TopoPaths.baseName(loc.path()));
                        return;
                    }
                    throw e;
                }
                for (DirEntry e : entries) {
                    out.println(e.name() + (e.directory() ? "/" : "") + (e.ephemeral() ? "  (ephemeral)" : ""));
                }
            }
        }

        private static boolean exists(TopoStore store, String path) {
            try {
                store.get(path);
                return true;
            } catch (TopoException e) {
                if (e.error() == TopoError.NO_NODE) {
                    return false;
                }
                throw e;
            }
        }
    }

    /** {@code mosaic topo cat PATH...}. */
    @Command(name = "cat", description = "Print topology files as JSON: known records decoded by file name,"
            + " other files as JSON, text or hex.")
    static final class Cat implements Runnable {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Mixin
        private Connection connection;

        @Option(names = {"-l", "--long"}, description = "Print each file's path and version before it.")
        private boolean longFormat;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files to print.")
        private List<String> paths = new ArrayList<>();

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (TopoServer server = connection.open()) {
                for (String p : paths) {
                    Location loc = Location.parse(p);
                    if (loc.isTop() || loc.path().isEmpty()) {
                        throw new IllegalArgumentException("'" + p + "' is not a file; try 'mosaic topo ls " + p + "'");
                    }
                    Versioned v = loc.store(server).get(loc.path());
                    if (longFormat || paths.size() > 1) {
                        out.println("# " + loc + " (version " + v.version() + ")");
                    }
                    out.println(RecordJson.decode(loc.path(), v.contents()).toPrettyJson());
                }
            }
        }
    }

    /** {@code mosaic topo watch PATH}. */
    @Command(name = "watch", description = "Print a topology file as one JSON line now and after every change,"
            + " until it is deleted, Ctrl-C, or --count lines.")
    static final class WatchPath implements Runnable {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Mixin
        private Connection connection;

        @Option(names = "--count", paramLabel = "N", description = "Stop after N lines (the first is the current value).")
        private long count = Long.MAX_VALUE;

        @Parameters(index = "0", paramLabel = "PATH", description = "File to watch.")
        private String path;

        @Override
        public void run() {
            if (count < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1, got " + count);
            }
            PrintWriter out = spec.commandLine().getOut();
            Location loc = Location.parse(path);
            if (loc.isTop() || loc.path().isEmpty()) {
                throw new IllegalArgumentException("'" + path + "' is not a file");
            }
            // Bounded: a watcher that falls this far behind ends rather than buffering without limit.
            BlockingQueue<WatchEvent> events = new ArrayBlockingQueue<>(1024);
            try (TopoServer server = connection.open()) {
                Watch watch = loc.store(server).watch(loc.path(), e -> {
                    if (!events.offer(e)) {
                        events.clear();
                        events.offer(new WatchEvent.Failed(e.path(), new TopoException(TopoError.UNAVAILABLE,
                                e.path(), "watch output fell behind by more than 1024 events")));
                    }
                });
                try {
                    long printed = 0;
                    out.println(line(loc, "initial", watch.initial()));
                    out.flush();
                    printed++;
                    while (printed < count) {
                        WatchEvent e = events.take();
                        if (e instanceof WatchEvent.Changed c) {
                            out.println(line(loc, "changed", c.value()));
                        } else if (e instanceof WatchEvent.Deleted) {
                            out.println(JsonObject.builder().put("path", loc.toString()).put("event", "deleted").build().toJson());
                        } else if (e instanceof WatchEvent.Cancelled) {
                            out.println(JsonObject.builder().put("path", loc.toString()).put("event", "cancelled").build().toJson());
                        } else if (e instanceof WatchEvent.Failed f) {
                            throw f.error();
                        }
                        out.flush();
                        printed++;
                        if (e.isFinal()) {
                            break;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    watch.cancel();
                }
            }
        }

        private static String line(Location loc, String event, Versioned v) {
            return JsonObject.builder()
                    .put("path", loc.toString())
                    .put("event", event)
                    .put("version", v.version().toString())
                    .put("value", RecordJson.decode(loc.path(), v.contents()))
                    .build().toJson();
        }
    }

    /** {@code mosaic topo copy --from ... --to ...}. */
    @Command(name = "copy", description = "Copy a cluster's topology to another store (Vitess's topo2topo):"
            + " keyspaces, vschemas, shards, routing rules; tablets, replication and serving graphs of each cell"
            + " the destination can reach. Idempotent; nothing is deleted.")
    static final class Copy implements Runnable {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--from", required = true, paramLabel = "TYPE[:ADDR]", description = "Source store.")
        private String from;

        @Option(names = "--from-config", paramLabel = "KEY=VALUE", description = "Source plugin configuration (repeatable).")
        private Map<String, String> fromConfig = new LinkedHashMap<>();

        @Option(names = "--to", required = true, paramLabel = "TYPE[:ADDR]", description = "Destination store.")
        private String to;

        @Option(names = "--to-config", paramLabel = "KEY=VALUE", description = "Destination plugin configuration (repeatable).")
        private Map<String, String> toConfig = new LinkedHashMap<>();

        @Option(names = "--cell-address", paramLabel = "CELL=ADDR[@ROOT]",
                description = "Register (or re-point) a cell at the destination before copying it (repeatable).")
        private Map<String, String> cellAddresses = new LinkedHashMap<>();

        @Option(names = "--dry-run", description = "Show what would be written; write nothing.")
        private boolean dryRun;

        @Override
        public void run() {
            Map<String, CellInfo> cells = new LinkedHashMap<>();
            cellAddresses.forEach((cell, addr) -> {
                int at = addr.lastIndexOf('@');
                cells.put(cell, CellInfo.newBuilder()
                        .setServerAddress(at < 0 ? addr : addr.substring(0, at))
                        .setRoot(at < 0 ? "" : addr.substring(at + 1))
                        .build());
            });
            PrintWriter out = spec.commandLine().getOut();
            try (TopoServer source = openServer(from, fromConfig); TopoServer dest = openServer(to, toConfig)) {
                TopoCopy.Report report = TopoCopy.copy(source, dest, cells, dryRun);
                for (TopoCopy.Change c : report.changes()) {
                    out.printf("%-9s /%s/%s%n", c.action().name().toLowerCase(), c.cell(), c.path());
                }
                for (String w : report.warnings()) {
                    out.println("warning: " + w);
                }
                out.println("copy: " + report.count(TopoCopy.Action.CREATE) + " created, "
                        + report.count(TopoCopy.Action.UPDATE) + " updated, "
                        + report.count(TopoCopy.Action.UNCHANGED) + " unchanged"
                        + (dryRun ? " (dry run: nothing written)" : ""));
            }
        }
    }
}
