package dev.mosaic.server.tablet.sidecar;

import java.util.List;

/**
 * What {@link Sidecar#ensure} found and did.
 *
 * @param name the sidecar database
 * @param exists whether the database exists (after the call)
 * @param version the highest version recorded in it, 0 if none
 * @param latestVersion the version this build wants
 * @param appliedNow versions this call applied (empty on a replica, and when already up to date)
 */
public record SidecarStatus(String name, boolean exists, int version, int latestVersion, List<Integer> appliedNow) {
    public SidecarStatus {
        appliedNow = List.copyOf(appliedNow);
    }

    /** True if the sidecar holds every version this build knows. */
    public boolean upToDate() {
        return exists && version >= latestVersion;
    }
}
