package dev.mosaic.server.mysqlctl;

import dev.mosaic.server.mysqlctl.flavor.Flavor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The option file of a managed mysqld: its paths and identity, GTID row-based binary logging with
 * full row images and metadata (what VReplication and the binlog streamer need), the flavor's
 * replication settings, small buffers, then the config's own overrides. A {@code [client]} section
 * lets {@code mariadb --defaults-file=my.cnf} reach the instance for debugging.
 *
 * <p>Each instance starts read-only, as Vitess's tablets do: it becomes writable only when made
 * primary.
 */
public final class MyCnf {
    private MyCnf() {
    }

    /** The {@code [mysqld]} options, in file order. */
    public static Map<String, String> mysqldOptions(MysqldConfig config, Flavor flavor) {
        MysqldLayout l = config.layout();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("server_id", Long.toString(config.serverId()));
        m.put("port", Integer.toString(config.port()));
        m.put("bind_address", config.bindAddress());
        m.put("socket", l.socket().toString());
        m.put("pid_file", l.pidFile().toString());
        m.put("datadir", l.dataDir().toString());
        m.put("tmpdir", l.tmpDir().toString());
        m.put("log_error", l.errorLog().toString());
        m.put("skip_name_resolve", "");
        m.put("read_only", "ON");

        m.put("log_bin", l.binlogBase().toString());
        m.put("relay_log", l.relayLogBase().toString());
        m.put("binlog_format", "ROW");
        m.put("binlog_row_image", "FULL");
        m.put("binlog_row_metadata", "FULL");
        m.putAll(flavor.myCnfOptions());

        m.put("character_set_server", "utf8mb4");
        // Small footprint: many instances run side by side in tests and `mosaic local`.
        m.put("innodb_buffer_pool_size", "64M");
        m.put("innodb_log_file_size", "48M");
        m.put("innodb_log_buffer_size", "8M");
        m.put("key_buffer_size", "8M");
        m.put("max_connections", "500");
        m.put("table_open_cache", "400");
        m.put("max_allowed_packet", "64M");
        m.put("performance_schema", "OFF");
        // Below the tablet's query timeout and the gate's call deadline (both 30 s by default): two
        // transactions that lock rows on two shards in opposite orders deadlock across mysqlds,
        // which no single InnoDB can see. The lock wait timeout then ends one of them with 1205
        // (retryable, as every MySQL client library knows) before a deadline turns it into 1317.
        m.put("innodb_lock_wait_timeout", "20");

        m.putAll(config.options());
        return m;
    }

    /** The whole file. */
    public static String render(MysqldConfig config, Flavor flavor) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Written by Mosaic mysqlctl for tablet ").append(config.layout().uid())
                .append(" (").append(flavor.name()).append("); rewritten on every start.\n");
        sb.append("[mysqld]\n");
        mysqldOptions(config, flavor).forEach((k, v) ->
                sb.append(k).append(v.isEmpty() ? "" : " = " + v).append('\n'));
        sb.append("\n[client]\n");
        sb.append("socket = ").append(config.layout().socket()).append('\n');
        sb.append("port = ").append(config.port()).append('\n');
        sb.append("user = root\n");
        return sb.toString();
    }
}
