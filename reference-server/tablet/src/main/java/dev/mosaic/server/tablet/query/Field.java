package dev.mosaic.server.tablet.query;

import dev.mosaic.api.sql.SqlType;
import java.util.Objects;

/**
 * One column of a result, as MySQL described it in the column-definition packet, so the gate can
 * write it to a client unchanged.
 *
 * @param name the column label ({@code AS} alias or name)
 * @param orgName the column's name in its table, or empty for an expression
 * @param table the table alias, or empty
 * @param orgTable the table's real name, or empty
 * @param database the schema, or empty
 * @param type the type, in Vitess's names
 * @param mysqlTypeId MySQL's protocol type byte ({@code MYSQL_TYPE_*})
 * @param columnLength the column length from the definition packet
 * @param charset the collation id
 * @param decimals the decimals byte
 * @param flags the column flags ({@code NOT_NULL_FLAG}, {@code UNSIGNED_FLAG}, ...)
 */
public record Field(String name, String orgName, String table, String orgTable, String database, SqlType type,
        int mysqlTypeId, long columnLength, int charset, int decimals, int flags) {
    public Field {
        Objects.requireNonNull(name, "name");
        orgName = orgName == null ? "" : orgName;
        table = table == null ? "" : table;
        orgTable = orgTable == null ? "" : orgTable;
        database = database == null ? "" : database;
        Objects.requireNonNull(type, "type");
    }
}
