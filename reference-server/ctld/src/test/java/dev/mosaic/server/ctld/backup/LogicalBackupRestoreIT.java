package dev.mosaic.server.ctld.backup;

/**
 * {@link BackupRestoreEndToEnd} with the {@code logical} engine (mariadb-dump), on a keyspace with
 * the {@code semi_sync} durability policy: the restored replica acknowledges semi-sync.
 */
class LogicalBackupRestoreIT extends BackupRestoreEndToEnd {
    @Override
    String engine() {
        return "logical";
    }

    @Override
    String durability() {
        return "semi_sync";
    }
}
