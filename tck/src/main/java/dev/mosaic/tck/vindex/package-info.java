/**
 * The vindex contract: {@link dev.mosaic.tck.vindex.VindexContract} checks that a vindex maps
 * values consistently with the capabilities it declares, and
 * {@link dev.mosaic.tck.vindex.InMemoryVindexCursor} stands in for the gate's cursor when a
 * lookup vindex is driven.
 */
package dev.mosaic.tck.vindex;
