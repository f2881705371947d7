package dev.mosaic.server.backup;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.Binaries;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.flavor.Flavor;
import dev.mosaic.spi.backup.MysqldControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link MysqldControl} over mysqlctl's {@link Mysqld}: what a tablet gives the backup engines.
 *
 * <p>Positions are in Vitess's portable form {@code MariaDB/0-101-42} or {@code MySQL56/uuid:1-5}
 * ({@code gtid_binlog_pos} / {@code gtid_executed}). Tools are looked up in the configured binary
 * directories of a managed mysqld, then on {@code PATH} and the usual sbin directories. The tools'
 * connection uses the managed server's socket, or TCP for an attached one, as the administrative
 * user; a password is not passed to tools (so the administrative user must log in over the socket
 * without one, as the managed root does).
 */
public final class MysqldControls {
    private MysqldControls() {
    }

    /** A control of {@code mysqld}. */
    public static MysqldControl of(Mysqld mysqld) {
        return new Control(Objects.requireNonNull(mysqld, "mysqld"));
    }

    private static final class Control implements MysqldControl {
        private final Mysqld mysqld;

        Control(Mysqld mysqld) {
            this.mysqld = mysqld;
        }

        @Override
        public String flavor() {
            Flavor f = mysqld.flavor();
            return f.name().equals("mariadb") ? "mariadb" : "mysql";
        }

        @Override
        public Path dataDirectory() {
            if (mysqld.isManaged()) {
                return mysqld.layout().dataDir();
            }
            return Path.of(mysqld.fetchValue("SELECT @@GLOBAL.datadir").orElseThrow(() ->
                    new MosaicException(ErrorCode.UNAVAILABLE, "mysqld at " + mysqld.connectionParams() + " reports no datadir")));
        }

        @Override
        public Connection connect() {
            return mysqld.connect();
        }

        @Override
        public ConnectionParams connectionParams() {
            var p = mysqld.connectionParams();
            String socket = mysqld.isManaged() ? mysqld.layout().socket().toString() : "";
            return new ConnectionParams(p.host(), p.port(), socket, p.user());
        }

        @Override
        public Optional<Path> tool(String name) {
            if (name.contains("/")) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "tool name '" + name + "' must be a bare name");
            }
            List<Path> dirs = new ArrayList<>(mysqld.isManaged() ? mysqld.config().binDirs() : List.of());
            for (Path d : dirs) {
                Path c = d.resolve(name);
                if (Files.isRegularFile(c) && Files.isExecutable(c)) {
                    return Optional.of(c);
                }
            }
            return Binaries.find(List.of(name));
        }

        @Override
        public void shutdown(Duration timeout) {
            mysqld.shutdown(timeout);
        }

        @Override
        public void start(Duration timeout) {
            mysqld.start(timeout);
        }

        @Override
        public String currentPosition() {
            return mysqld.replication().primaryPosition().encode();
        }

        @Override
        public void stopReplication() {
            if (mysqld.replication().replicationStatus().isPresent()) {
                mysqld.replication().stopReplication();
            }
        }

        @Override
        public void startReplication() {
            if (mysqld.replication().replicationStatus().isPresent()) {
                mysqld.replication().startReplication();
            }
        }

        @Override
        public String toString() {
            return "MysqldControl[" + mysqld + "]";
        }
    }
}
