/**
 * Functional vindexes: pure functions from a column value to a keyspace id, bit-identical to
 * Vitess's built-ins of the same type name ({@code hash}, {@code xxhash}, {@code binary_md5},
 * {@code binary}, {@code numeric}, {@code reverse_bits}, {@code null}, {@code numeric_static_map}).
 */
package dev.mosaic.vindex.functional;
