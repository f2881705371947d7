/**
 * The schema engine: the tablet database's tables as an immutable snapshot from
 * {@code information_schema}, reloaded after DDL, on request and periodically, with change
 * notification (for the health stream's {@code table_schema_changed}).
 */
package dev.mosaic.server.tablet.schema;
