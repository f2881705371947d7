package dev.mosaic.spi.topo;

/** Optional features of a {@link TopoStore}, declared by the plugin and verified by the TCK both ways. */
public enum TopoCapability {
    /** {@link TopoStore#watchRecursive} works. */
    RECURSIVE_WATCH,
    /** {@link TopoStore#lockWithTtl} works. */
    LOCK_TTL,
    /** Versions are backend revisions that can be used to read historical values. */
    HISTORICAL_VERSIONS
}
