package dev.mosaic.server.launcher.ctl;

import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.proto.topo.TabletType;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsers of {@code mosaic ctl}'s arguments; a bad value is a usage error naming it. */
final class Converters {
    private Converters() {
    }

    /** Go's duration syntax as vtctldclient takes it: {@code 30s}, {@code 1h0m0s}, {@code 1.5s}, {@code 500ms}. */
    static final class GoDuration implements ITypeConverter<Duration> {
        private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            return parse(value);
        }

        static Duration parse(String value) {
            String s = value.trim();
            if (s.equals("0")) {
                return Duration.ZERO;
            }
            Matcher m = PART.matcher(s);
            int at = 0;
            double nanos = 0;
            while (at < s.length() && m.find(at) && m.start() == at) {
                double n = Double.parseDouble(m.group(1));
                nanos += n * switch (m.group(2)) {
                    case "ns" -> 1;
                    case "us", "µs" -> 1e3;
                    case "ms" -> 1e6;
                    case "s" -> 1e9;
                    case "m" -> 60e9;
                    default -> 3600e9;
                };
                at = m.end();
            }
            if (s.isEmpty() || at != s.length()) {
                throw new TypeConversionException("'" + value + "' is not a duration (e.g. 30s, 5m, 1h0m0s, 500ms)");
            }
            return Duration.ofNanos(Math.round(nanos));
        }
    }

    /** A tablet alias, {@code zone1-100} or {@code zone1-0000000100}. */
    static final class Alias implements ITypeConverter<TabletAlias> {
        @Override
        public TabletAlias convert(String value) {
            return parse(value);
        }

        static TabletAlias parse(String value) {
            try {
                dev.mosaic.api.cluster.TabletAlias a = dev.mosaic.api.cluster.TabletAlias.parse(value);
                return TabletAlias.newBuilder().setCell(a.cell()).setUid((int) a.uid()).build();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code zone1-0000000100}. */
    static String alias(TabletAlias a) {
        return a.getCell() + "-" + String.format("%010d", Integer.toUnsignedLong(a.getUid()));
    }

    /** A tablet type by name, in any case: {@code replica}, {@code RDONLY}, ... */
    static final class Type implements ITypeConverter<TabletType> {
        @Override
        public TabletType convert(String value) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            for (TabletType t : TabletType.values()) {
                if (t != TabletType.UNRECOGNIZED && t != TabletType.UNKNOWN && t.name().equals(v)) {
                    return t;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a tablet type; one of "
                    + Arrays.stream(TabletType.values())
                            .filter(t -> t != TabletType.UNRECOGNIZED && t != TabletType.UNKNOWN)
                            .map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    /** {@code keyspace/shard}, as vtctldclient writes a shard. */
    record KeyspaceShard(String keyspace, String shard) {
        @Override
        public String toString() {
            return keyspace + "/" + shard;
        }
    }

    /** Parses {@code keyspace/shard}. */
    static final class Shard implements ITypeConverter<KeyspaceShard> {
        @Override
        public KeyspaceShard convert(String value) {
            int slash = value.indexOf('/');
            if (slash <= 0 || slash == value.length() - 1 || value.indexOf('/', slash + 1) >= 0) {
                throw new TypeConversionException("'" + value + "' is not KEYSPACE/SHARD (e.g. commerce/0, customer/-80)");
            }
            return new KeyspaceShard(value.substring(0, slash), value.substring(slash + 1));
        }
    }
}
