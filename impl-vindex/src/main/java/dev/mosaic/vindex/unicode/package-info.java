/**
 * {@code unicode_loose_md5} and {@code unicode_loose_xxhash}: hashes of a string's primary
 * collation weights (case-, accent- and width-insensitive, trailing spaces ignored), computed as
 * Vitess computes them.
 */
package dev.mosaic.vindex.unicode;
