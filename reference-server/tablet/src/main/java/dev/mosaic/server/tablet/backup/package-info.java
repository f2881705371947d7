/**
 * Backups seen from one tablet: taking a backup of its mysqld (the tablet manager's
 * {@code Backup}), restoring one into it ({@code RestoreFromBackup}, and {@code restore-from-backup}
 * at startup), and pointing the restored mysqld at the shard's primary from the backup's position.
 * The engines and the storage are the framework's ({@code dev.mosaic.server.backup}).
 */
package dev.mosaic.server.tablet.backup;
