package dev.mosaic.api.vschema;

/** The kind of a vschema table: the {@code type} field of Vitess's {@code Table}. */
public enum TableType {
    /** An ordinary table, sharded by its column vindexes (JSON: empty string, omitted). */
    STANDARD(""),
    /** A single-row table that hands out ids for auto-increment columns. */
    SEQUENCE("sequence"),
    /** A small table copied in full to every shard; reads go to any one shard. */
    REFERENCE("reference");

    private final String jsonName;

    TableType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value of the JSON {@code type} field; empty for {@link #STANDARD}. */
    public String jsonName() {
        return jsonName;
    }
}
