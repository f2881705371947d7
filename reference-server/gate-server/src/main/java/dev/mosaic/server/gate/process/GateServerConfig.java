package dev.mosaic.server.gate.process;

import dev.mosaic.server.gate.gateway.GatewayConfig;
import dev.mosaic.server.gate.tx.TransactionResolver;
import dev.mosaic.server.mysql.protocol.auth.AuthMethod;
import dev.mosaic.server.process.config.Listen;
import dev.mosaic.server.process.config.TopoSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated configuration of one gate process, as {@link GateServerConfigLoader} builds it
 * from a config file. Every value is typed; nothing downstream reads raw strings. See the "Gate
 * process" section of {@code docs/gate.md} for the file format, every key and its default.
 *
 * @param topo the topology store the gate reads
 * @param gateway the tablet gateway's cells, health-check and replication-lag settings
 * @param keyspaces the keyspaces served; empty = every keyspace in the topology
 * @param topoRefreshInterval how often the vschemas, routing rules and shard records are re-read
 * @param mysql the MySQL listener
 * @param auth who may log in
 * @param planCacheSize how many plans the plan cache holds (Vitess {@code --gate_query_cache_size})
 * @param shardCalls the pool running the per-shard calls of multi-shard statements
 * @param status the status/metrics HTTP server
 * @param queryLog the per-statement statistics and the slow log
 * @param twoPcResolver the resolver of abandoned distributed transactions ({@code twopc.*})
 */
public record GateServerConfig(TopoSettings topo, GatewayConfig gateway, List<String> keyspaces,
        Duration topoRefreshInterval, Mysql mysql, Auth auth, int planCacheSize, Pool shardCalls, Listen status,
        QueryLog queryLog, TransactionResolver.Settings twoPcResolver) {

    public GateServerConfig {
        Objects.requireNonNull(topo, "topo");
        Objects.requireNonNull(gateway, "gateway");
        keyspaces = List.copyOf(keyspaces);
        Objects.requireNonNull(topoRefreshInterval, "topoRefreshInterval");
        Objects.requireNonNull(mysql, "mysql");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(shardCalls, "shardCalls");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(queryLog, "queryLog");
        Objects.requireNonNull(twoPcResolver, "twoPcResolver");
    }

    /**
     * The MySQL listener (Vitess {@code --mysql_server_port}, {@code --mysql_server_bind_address},
     * {@code --mysql_server_version}).
     *
     * @param bindAddress the address to bind
     * @param port the port (0 = ephemeral, for tests)
     * @param maxConnections connections beyond which a new one is refused (ER_CON_COUNT_ERROR)
     * @param ioThreads Netty event-loop threads
     * @param commandThreads threads running client commands
     * @param commandQueue commands waiting for a command thread before new ones are refused
     * @param serverVersion the version string announced in the greeting and answered by
     *     {@code @@version}
     * @param handshakeTimeout the time a client has from connect to authenticated
     */
    public record Mysql(String bindAddress, int port, int maxConnections, int ioThreads, int commandThreads,
            int commandQueue, String serverVersion, Duration handshakeTimeout) {
        public Mysql {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(serverVersion, "serverVersion");
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        }
    }

    /** How clients are authenticated (Vitess {@code --mysql_auth_server_impl}). */
    public enum AuthMode {
        /** Any user with any password (a local cluster). */
        NONE,
        /** The users and passwords of the config file. */
        STATIC
    }

    /**
     * Who may log in.
     *
     * @param mode none or static
     * @param method the plugin announced in the greeting and used by every static account
     * @param users user to clear-text password (static mode); never printed
     */
    public record Auth(AuthMode mode, AuthMethod method, Map<String, String> users) {
        public Auth {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(method, "method");
            users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
        }

        /** Never prints the passwords. */
        @Override
        public String toString() {
            return "Auth[" + mode + " " + method.pluginName() + " users=" + users.keySet() + "]";
        }
    }

    /**
     * A bounded thread pool.
     *
     * @param threads its threads
     * @param queue tasks waiting for a thread before new ones are refused
     */
    public record Pool(int threads, int queue) {
    }

    /**
     * The query log.
     *
     * @param slowThreshold statements at least this slow go to the slow log
     * @param maxQueries distinct normalized statements kept in the statistics (the least used are
     *     dropped beyond it)
     * @param slowLogFile the file slow statements are appended to; empty = the process log
     */
    public record QueryLog(Duration slowThreshold, int maxQueries, Optional<Path> slowLogFile) {
        public QueryLog {
            Objects.requireNonNull(slowThreshold, "slowThreshold");
            Objects.requireNonNull(slowLogFile, "slowLogFile");
        }
    }
}
