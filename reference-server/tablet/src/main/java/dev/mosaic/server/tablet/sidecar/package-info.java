/**
 * The tablet's sidecar database ({@code _vt} by default): Mosaic's own tables on each mysqld,
 * created by the primary with versioned, idempotent DDL and replicated to its replicas.
 */
package dev.mosaic.server.tablet.sidecar;
