package dev.mosaic.spi.topo;

import java.util.Objects;

/**
 * One child of a directory.
 *
 * @param name      the child's name (one path segment)
 * @param directory true for a directory, false for a file
 * @param ephemeral true if the node disappears with its creator's session (lock and election nodes)
 */
public record DirEntry(String name, boolean directory, boolean ephemeral) {
    /** Rejects a null or empty name. */
    public DirEntry {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("directory entry name must be one non-empty segment: '" + name + "'");
        }
    }
}
