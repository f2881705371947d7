package dev.mosaic.server.ctld.backup;

/** {@link BackupRestoreEndToEnd} with the physical {@code builtin} engine (mariabackup). */
class BuiltinBackupRestoreIT extends BackupRestoreEndToEnd {
    @Override
    String engine() {
        return "builtin";
    }
}
