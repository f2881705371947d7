package dev.mosaic.server.launcher;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.MultiColumnVindex;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexCursor;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mosaic vindex ...}: answers "where does this value live?" without a cluster. */
@Command(name = "vindex", description = "Vindex tools.",
        subcommands = {VindexCommand.MapCommand.class, CommandLine.HelpCommand.class})
final class VindexCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand; see 'mosaic vindex --help'");
    }

    /** {@code mosaic vindex map --type T [--param k=v] [--shards N|LIST] [--string] [--] VALUE...}. */
    @Command(name = "map",
            description = {"Print the keyspace id of each value under a vindex, and with --shards its shard.",
                "Values are integers unless --string is given; use -- before negative numbers.",
                "For a multi-column vindex, give each value as comma-separated column values."})
    static final class MapCommand implements Runnable {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "Vindex type, e.g. hash, xxhash, numeric.")
        private String type;

        @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A vindex param (repeatable), as in a vschema's params.")
        private Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--shards", paramLabel = "N|NAMES",
                description = "Shard count (as 'keyrange split N' names them) or comma-separated shard names like -80,80-.")
        private String shards;

        @Option(names = "--string", description = "Treat values as strings (VARCHAR) instead of integers.")
        private boolean strings;

        @Parameters(paramLabel = "VALUE", arity = "1..*", description = "Values to map.")
        private List<String> values = new ArrayList<>();

        @Override
        public void run() {
            List<KeyRange> ranges = shards == null ? List.of() : parseShards(shards);
            Plugins plugins = Plugins.load(VindexCommand.class.getClassLoader());
            Vindex vindex = plugins.create(PluginKind.VINDEX, type, "cli", params);
            if (vindex.needsCursor()) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "vindex type '" + type
                        + "' reads a lookup table; 'vindex map' works only with vindexes that need no table");
            }
            List<Destination> dests;
            if (vindex instanceof SingleColumnVindex single) {
                dests = single.map(VindexCursor.NONE, values.stream().map(this::parse).toList());
            } else {
                MultiColumnVindex multi = (MultiColumnVindex) vindex;
                List<List<Value>> rows = new ArrayList<>();
                for (String v : values) {
                    rows.add(List.of(v.split(",", -1)).stream().map(this::parse).toList());
                }
                dests = multi.map(VindexCursor.NONE, rows);
            }
            PrintWriter out = spec.commandLine().getOut();
            for (int i = 0; i < values.size(); i++) {
                out.println(values.get(i) + "\t" + describe(dests.get(i), ranges));
            }
        }

        private Value parse(String text) {
            if (strings) {
                return Value.of(text);
            }
            try {
                BigInteger n = new BigInteger(text.trim());
                if (n.bitLength() < 64) {
                    return Value.of(n.longValue());
                }
                if (n.signum() > 0 && n.bitLength() == 64) {
                    return Value.ofUnsigned(n.longValue());
                }
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "value '" + text + "' does not fit in 64 bits");
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "value '" + text + "' is not an integer; use --string for string values");
            }
        }

        private List<KeyRange> parseShards(String text) {
            try {
                if (text.matches("\\d+")) {
                    return KeyRange.split(Integer.parseInt(text));
                }
                List<KeyRange> out = new ArrayList<>();
                for (String name : text.split(",")) {
                    out.add(KeyRange.parse(name.trim()));
                }
                return out;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--shards: " + e.getMessage());
            }
        }

        private static String describe(Destination d, List<KeyRange> ranges) {
            if (d instanceof Destination.One one) {
                return one.id().toHex() + shardOf(one.id(), ranges);
            }
            if (d instanceof Destination.Many many) {
                if (many.ids().isEmpty()) {
                    return "none";
                }
                return many.ids().stream().map(id -> id.toHex() + shardOf(id, ranges)).collect(Collectors.joining(","));
            }
            if (d instanceof Destination.Range r) {
                String s = "range " + r.range();
                if (!ranges.isEmpty()) {
                    s += "\t" + ranges.stream().filter(x -> x.intersects(r.range())).map(KeyRange::toString)
                            .collect(Collectors.joining(","));
                }
                return s;
            }
            return "none";
        }

        private static String shardOf(KeyspaceId id, List<KeyRange> ranges) {
            for (KeyRange r : ranges) {
                if (r.contains(id)) {
                    return "\t" + r;
                }
            }
            return ranges.isEmpty() ? "" : "\t(no shard)";
        }
    }
}
