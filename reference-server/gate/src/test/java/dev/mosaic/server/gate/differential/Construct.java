package dev.mosaic.server.gate.differential;

/**
 * The SQL constructs a generated query can contain; each query is tagged with the set it uses so
 * that rejections can be counted per construct.
 */
enum Construct {
    EQ_HASH_COLUMN("equality on a hash vindex column"),
    EQ_LOOKUP_COLUMN("equality on a lookup vindex column"),
    IN_LIST_HASH_COLUMN("IN list on a hash vindex column"),
    UNSHARDED_ONLY("unsharded keyspace only"),
    REFERENCE_ONLY("reference table only"),
    JOIN_COLOCATED("join on the shared hash column"),
    JOIN_CROSS_SHARD("cross-shard join"),
    JOIN_REFERENCE("join to a reference table"),
    JOIN_CROSS_KEYSPACE("join across keyspaces"),
    LEFT_JOIN("LEFT JOIN"),
    OR("OR"),
    NOT("NOT"),
    IN_LIST("IN (list)"),
    BETWEEN("BETWEEN"),
    LIKE("LIKE"),
    IS_NULL("IS [NOT] NULL"),
    ARITHMETIC("arithmetic"),
    FUNCTION("scalar function"),
    CASE("CASE"),
    COALESCE("COALESCE / IFNULL"),
    SUBQUERY_IN("IN (subquery)"),
    SUBQUERY_NOT_IN("NOT IN (subquery)"),
    SUBQUERY_SCALAR("scalar subquery in WHERE"),
    SUBQUERY_SELECT_LIST("scalar subquery in the select list"),
    SUBQUERY_EXISTS("EXISTS"),
    SUBQUERY_CORRELATED("correlated subquery"),
    DERIVED_TABLE("derived table"),
    UNION("UNION (distinct)"),
    UNION_ALL("UNION ALL"),
    AGGREGATE("COUNT/SUM/MIN/MAX/AVG"),
    GROUP_BY("GROUP BY"),
    HAVING("HAVING"),
    COUNT_DISTINCT("COUNT(DISTINCT)"),
    GROUP_CONCAT("GROUP_CONCAT"),
    DISTINCT("SELECT DISTINCT"),
    ORDER_BY_TOTAL("ORDER BY (total)"),
    ORDER_BY_PARTIAL("ORDER BY (partial)"),
    LIMIT("LIMIT"),
    OFFSET("OFFSET");

    private final String label;

    Construct(String label) {
        this.label = label;
    }

    /** How the report names it. */
    String label() {
        return label;
    }
}
