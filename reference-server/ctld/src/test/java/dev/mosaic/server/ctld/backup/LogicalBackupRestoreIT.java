package dev.mosaic.server.ctld.backup;

/** {@link BackupRestoreEndToEnd} with the {@code logical} engine (mariadb-dump). */
class LogicalBackupRestoreIT extends BackupRestoreEndToEnd {
    @Override
    String engine() {
        return "logical";
    }
}
