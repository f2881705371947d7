package dev.mosaic.server.mysqlctl.replication;

/**
 * One MariaDB global transaction id, {@code domain-server-seq}: the replication domain, the server
 * id that originated the transaction, and its sequence number within the domain. Domain and
 * server id are unsigned 32-bit, the sequence unsigned 64-bit (held in a {@code long}, compared
 * unsigned).
 */
public record MariaDbGtid(long domain, long serverId, long sequence) {
    static final long MAX_UINT32 = 0xFFFF_FFFFL;

    public MariaDbGtid {
        if (domain < 0 || domain > MAX_UINT32) {
            throw new IllegalArgumentException("domain out of range: " + domain);
        }
        if (serverId < 0 || serverId > MAX_UINT32) {
            throw new IllegalArgumentException("server id out of range: " + serverId);
        }
    }

    /** {@code domain-server-seq}. */
    @Override
    public String toString() {
        return domain + "-" + serverId + "-" + Long.toUnsignedString(sequence);
    }
}
