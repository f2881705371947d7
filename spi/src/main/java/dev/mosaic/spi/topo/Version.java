package dev.mosaic.spi.topo;

/**
 * An opaque node version. Only equality is meaningful: every write gives a version different from
 * all earlier versions of the same path. Backends encode their own revision (etcd mod revision,
 * ZooKeeper node version, Consul ModifyIndex) in {@code value}.
 *
 * @param value the backend's revision number
 */
public record Version(long value) {
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
