package dev.mosaic.server.gate.differential;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The schema and rows of the generated differential test. Keyspace {@code customer} (sharded):
 * {@code users} hashed on {@code user_id} with a {@code consistent_lookup_unique} vindex on
 * {@code email} (its table {@code users_email_lkp} in {@code commerce}), {@code orders} hashed on
 * {@code user_id} too (co-located with its user), {@code events} on {@code xxhash(event_id)}, and
 * the reference table {@code regions} (source {@code commerce.regions}). Keyspace {@code commerce}
 * (unsharded): {@code products} and {@code regions}. The rows are fixed (their own seed), with NULLs,
 * duplicates, case and accent variants under {@code utf8mb4_general_ci} and a {@code utf8mb4_bin}
 * column or two.
 */
final class GeneratedSchema {
    private static final long ROWS_SEED = 8_2026_1122L;

    static final String VSCHEMA_CUSTOMER = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}, "xx": {"type": "xxhash"},
                          "email_lkp": {"type": "consistent_lookup_unique", "owner": "users",
                                        "params": {"table": "commerce.users_email_lkp", "from": "email", "to": "keyspace_id"}}},
             "tables": {
               "users": {"column_vindexes": [{"column": "user_id", "name": "hash"}, {"column": "email", "name": "email_lkp"}]},
               "orders": {"column_vindexes": [{"column": "user_id", "name": "hash"}]},
               "events": {"column_vindexes": [{"column": "event_id", "name": "xx"}]},
               "regions": {"type": "reference", "source": "commerce.regions"}}}
            """;
    static final String VSCHEMA_COMMERCE = """
            {"tables": {"products": {}, "regions": {}, "users_email_lkp": {}}}
            """;

    private static final String CHARSET = " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";
    static final String USERS_DDL = "CREATE TABLE users (user_id BIGINT NOT NULL PRIMARY KEY,"
            + " email VARCHAR(60) COLLATE utf8mb4_bin NULL, name VARCHAR(30) NOT NULL, region VARCHAR(10) NULL,"
            + " balance DECIMAL(10,2) NULL, score INT NULL, created DATETIME NULL)" + CHARSET;
    static final String ORDERS_DDL = "CREATE TABLE orders (order_id BIGINT NOT NULL PRIMARY KEY, user_id BIGINT NOT NULL,"
            + " sku VARCHAR(12) NOT NULL, qty INT NULL, amount DECIMAL(10,2) NULL, placed DATETIME NULL,"
            + " status VARCHAR(10) COLLATE utf8mb4_bin NULL)" + CHARSET;
    static final String EVENTS_DDL = "CREATE TABLE events (event_id BIGINT NOT NULL PRIMARY KEY, user_id BIGINT NULL,"
            + " kind VARCHAR(12) NULL, weight INT NULL, at DATETIME NULL)" + CHARSET;
    static final String REGIONS_DDL = "CREATE TABLE regions (region VARCHAR(10) NOT NULL PRIMARY KEY,"
            + " zone VARCHAR(12) NOT NULL, tax DECIMAL(5,3) NULL)" + CHARSET;
    static final String PRODUCTS_DDL = "CREATE TABLE products (sku VARCHAR(12) NOT NULL PRIMARY KEY,"
            + " title VARCHAR(40) NOT NULL, category VARCHAR(12) NULL, price DECIMAL(8,2) NOT NULL, stock INT NULL)" + CHARSET;
    static final String LOOKUP_DDL = "CREATE TABLE users_email_lkp (email VARCHAR(60) COLLATE utf8mb4_bin NOT NULL"
            + " PRIMARY KEY, keyspace_id VARBINARY(16) NOT NULL)" + CHARSET;

    static final String[] NAMES = {"alice", "Alice", "ALICE", "bob", "Bob", "carol", "dave", "Eve", "zoë", "Zoe",
        "mallory", "Niaj", "oscar", "peggy", "Trent"};
    static final String[] USER_REGIONS = {"eu", "EU", "us", "asia", "latam", "apac", "nowhere"};
    static final String[] KINDS = {"click", "Click", "view", "buy", "VIEW"};
    static final String[] STATUSES = {"new", "paid", "Paid", "shipped"};
    static final String[] CATEGORIES = {"tools", "Toys", "toys", "books"};
    static final String REGIONS_ROWS = "INSERT INTO regions (region, zone, tax) VALUES ('eu', 'Europe', 0.200),"
            + " ('us', 'America', 0.080), ('asia', 'Asia', 0.100), ('latam', 'America', NULL), ('apac', 'Asia', 0.125),"
            + " ('mea', 'Africa', 0.050)";

    /** A row of a sharded table: the value its primary vindex maps, and its SQL VALUES tuple. */
    record Row(long key, String tuple) {
    }

    /** One user: id and email (null when none). */
    record User(long id, String email) {
    }

    final List<User> users = new ArrayList<>();
    final List<Row> userRows = new ArrayList<>();
    final List<Row> orderRows = new ArrayList<>();
    final List<Row> eventRows = new ArrayList<>();
    final List<String> productTuples = new ArrayList<>();

    GeneratedSchema() {
        Random r = new Random(ROWS_SEED);
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= 40; id++) {
            ids.add(id);
        }
        for (long id = -4; id <= -1; id++) {
            ids.add(id);
        }
        BigDecimal[] ties = {new BigDecimal("0.00"), new BigDecimal("100.00"), new BigDecimal("-25.50")};
        for (long id : ids) {
            String name = NAMES[r.nextInt(NAMES.length)];
            String email = r.nextInt(6) == 0 ? null
                    : (r.nextInt(4) == 0 ? "User" : "user") + id + (r.nextBoolean() ? "@example.com" : "@mail.org");
            users.add(new User(id, email));
            String region = r.nextInt(8) == 0 ? null : USER_REGIONS[r.nextInt(USER_REGIONS.length)];
            BigDecimal balance = switch (r.nextInt(6)) {
                case 0 -> null;
                case 1 -> ties[r.nextInt(ties.length)];
                default -> BigDecimal.valueOf(r.nextInt(200_000) - 50_000, 2);
            };
            Integer score = r.nextInt(8) == 0 ? null : r.nextInt(41) - 20;
            userRows.add(new Row(id, "(" + id + ", " + str(email) + ", " + str(name) + ", " + str(region) + ", "
                    + dec(balance) + ", " + num(score) + ", " + dt(r, 9) + ")"));
        }
        for (long oid = 1; oid <= 110; oid++) {
            long uid = r.nextInt(12) == 0 ? 900 + r.nextInt(5) : ids.get(r.nextInt(ids.size() * 3 / 4));
            String sku = r.nextInt(15) == 0 ? "sku-03" : String.format("SKU-%02d", 1 + r.nextInt(20));
            Integer qty = r.nextInt(7) == 0 ? null : r.nextInt(10);
            BigDecimal amount = r.nextInt(7) == 0 ? null : r.nextInt(4) == 0 ? new BigDecimal("9.99")
                    : BigDecimal.valueOf(r.nextInt(30_000) + 1, 2);
            String status = r.nextInt(6) == 0 ? null : STATUSES[r.nextInt(STATUSES.length)];
            orderRows.add(new Row(uid, "(" + oid + ", " + uid + ", " + str(sku) + ", " + num(qty) + ", " + dec(amount)
                    + ", " + dt(r, 8) + ", " + str(status) + ")"));
        }
        for (long eid = 1; eid <= 70; eid++) {
            String uid = r.nextInt(6) == 0 ? "NULL" : String.valueOf(r.nextInt(10) == 0 ? 950 : ids.get(r.nextInt(ids.size())));
            String kind = r.nextInt(7) == 0 ? null : KINDS[r.nextInt(KINDS.length)];
            Integer weight = r.nextInt(6) == 0 ? null : r.nextInt(16) - 5;
            eventRows.add(new Row(eid, "(" + eid + ", " + uid + ", " + str(kind) + ", " + num(weight) + ", " + dt(r, 7) + ")"));
        }
        for (int i = 1; i <= 16; i++) {
            String category = r.nextInt(6) == 0 ? null : CATEGORIES[r.nextInt(CATEGORIES.length)];
            Integer stock = r.nextInt(5) == 0 ? null : r.nextInt(30) - 3;
            productTuples.add("(" + str(String.format("SKU-%02d", i)) + ", " + str((i % 2 == 0 ? "Deluxe " : "basic ")
                    + "item " + i) + ", " + str(category) + ", " + BigDecimal.valueOf(r.nextInt(20_000) + 100, 2).toPlainString()
                    + ", " + num(stock) + ")");
        }
    }

    static String usersInsert(List<Row> rows) {
        return insert("INSERT INTO users (user_id, email, name, region, balance, score, created) VALUES ", rows);
    }

    static String ordersInsert(List<Row> rows) {
        return insert("INSERT INTO orders (order_id, user_id, sku, qty, amount, placed, status) VALUES ", rows);
    }

    static String eventsInsert(List<Row> rows) {
        return insert("INSERT INTO events (event_id, user_id, kind, weight, at) VALUES ", rows);
    }

    String productsInsert() {
        return "INSERT INTO products (sku, title, category, price, stock) VALUES " + String.join(", ", productTuples);
    }

    private static String insert(String prefix, List<Row> rows) {
        List<String> tuples = new ArrayList<>();
        for (Row row : rows) {
            tuples.add(row.tuple());
        }
        return prefix + String.join(", ", tuples);
    }

    private static String dt(Random r, int nullOneIn) {
        if (r.nextInt(nullOneIn) == 0) {
            return "NULL";
        }
        LocalDateTime t = LocalDateTime.of(2021, 1, 1, 0, 0).plusDays(r.nextInt(900)).plusMinutes(r.nextInt(4) * 390L);
        return "'" + t.toLocalDate() + " " + t.toLocalTime() + ":00'";
    }

    private static String dec(BigDecimal d) {
        return d == null ? "NULL" : d.toPlainString();
    }

    private static String num(Integer n) {
        return n == null ? "NULL" : n.toString();
    }

    static String str(String s) {
        return s == null ? "NULL" : "'" + s.replace("'", "''") + "'";
    }
}
