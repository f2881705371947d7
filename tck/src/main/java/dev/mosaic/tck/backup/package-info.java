/**
 * The backup contracts: {@link dev.mosaic.tck.backup.BackupStorageContract} for storages (pure, no
 * mysqld) and {@link dev.mosaic.tck.backup.BackupEngineContract} for engines (abstract over a
 * mysqld fixture the implementer supplies).
 */
package dev.mosaic.tck.backup;
