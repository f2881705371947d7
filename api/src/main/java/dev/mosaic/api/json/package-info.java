/**
 * A small, strict JSON (RFC 8259) reader and writer with no dependencies, used for the vschema,
 * routing rules and Mosaic's own configuration and manifest files.
 *
 * <p>{@link dev.mosaic.api.json.Json} is a sealed tree of immutable records. {@link
 * dev.mosaic.api.json.Json#parse(String)} accepts exactly the RFC 8259 grammar (no comments, no
 * trailing commas, no single quotes, no {@code NaN}) and additionally rejects duplicate object keys
 * and unpaired surrogates; every error is a {@link dev.mosaic.api.json.JsonException} that names the
 * line, column and the path of the value being read ({@link dev.mosaic.api.json.JsonPath}). Numbers
 * are kept exactly as {@link java.math.BigDecimal}; object members keep their order.
 */
package dev.mosaic.api.json;
