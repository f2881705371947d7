/**
 * An example third-party vindex plugin, {@code tenant_hash}, checked by the Mosaic TCK: see
 * {@code examples/README.md}.
 */
package dev.mosaic.examples.vindex;
