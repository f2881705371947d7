/** {@code multicol}: a multi-column vindex whose keyspace id concatenates per-column hashes. */
package dev.mosaic.vindex.multicol;
