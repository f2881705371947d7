package dev.mosaic.server.gate.differential;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The schema and the deterministic pseudo-random rows of the differential test: NULLs, duplicates
 * and ties in sort keys, negative numbers and ids, mixed-case and case-variant strings, an accent.
 * Every statement is plain MySQL, run the same way on the gate and on the oracle.
 */
final class DifferentialData {
    static final long SEED = 20_261_122L;

    static final List<String> SHARDED_DDL = List.of(
            "CREATE TABLE customer (customer_id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL,"
                    + " email VARCHAR(80) NULL, region VARCHAR(20) NULL, balance DECIMAL(12,2) NULL, created DATE NULL,"
                    + " score INT NULL)",
            "CREATE TABLE corder (order_id BIGINT NOT NULL PRIMARY KEY, customer_id BIGINT NOT NULL,"
                    + " sku VARCHAR(20) NOT NULL, price DECIMAL(10,2) NOT NULL, qty INT NOT NULL)",
            "CREATE TABLE tag (tag_id BIGINT NOT NULL PRIMARY KEY, label VARCHAR(30) NOT NULL, customer_id BIGINT NULL,"
                    + " weight INT NULL)",
            regionRefDdl());
    static final List<String> UNSHARDED_DDL = List.of(
            "CREATE TABLE product (sku VARCHAR(20) NOT NULL PRIMARY KEY, title VARCHAR(60) NOT NULL,"
                    + " category VARCHAR(20) NULL, price DECIMAL(10,2) NOT NULL, stock INT NULL, made_in VARCHAR(20) NULL)",
            regionRefDdl());

    private static String regionRefDdl() {
        return "CREATE TABLE region_ref (region VARCHAR(20) NOT NULL PRIMARY KEY, zone VARCHAR(20) NOT NULL,"
                + " tax_rate DECIMAL(5,3) NULL)";
    }

    private static final String[] NAMES = {"alice", "Alice", "ALICE", "Bob", "bob", "CAROL", "dave", "Eve", "frank",
        "Gina", "hugo", "Ida", "zoë", "Zoe", "mallory", "Niaj", "oscar", "Peggy", "quentin", "Rupert", "sybil", "Trent"};
    private static final String[] DOMAINS = {"example.com", "Example.COM", "mail.org", "corp.net"};
    private static final String[] REGIONS = {"eu", "us", "Asia", "LATAM", "apac"};
    private static final String[] LABELS = {"red", "Red", "RED", "blue", "GREEN", "green", "vip", "VIP", "new", "old"};
    private static final String[] CATEGORIES = {"tools", "Toys", "books", "Garden"};

    /** Rows of the reference table, the same in every keyspace. */
    static final String REGION_REF_ROWS = "INSERT INTO region_ref (region, zone, tax_rate) VALUES"
            + " ('eu', 'Europe', 0.200), ('us', 'America', 0.080), ('Asia', 'Asia', 0.100),"
            + " ('LATAM', 'America', 0.150), ('apac', 'Asia', NULL)";

    private DifferentialData() {
    }

    /** The multi-row INSERTs of the sharded keyspace's tables (customer, corder, tag), in batches. */
    static List<String> shardedInserts() {
        Random r = new Random(SEED);
        List<String> customers = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= 240; id++) {
            ids.add(id);
        }
        for (long id = -12; id <= -1; id++) {
            ids.add(id);
        }
        for (long id = 9_000_000_001L; id <= 9_000_000_008L; id++) {
            ids.add(id);
        }
        BigDecimal[] tieBalances = {new BigDecimal("0.00"), new BigDecimal("100.00"), new BigDecimal("-50.50")};
        for (long id : ids) {
            String name = NAMES[r.nextInt(NAMES.length)];
            String email = r.nextInt(5) == 0 ? null
                    : name.toLowerCase().replace('ë', 'e') + id + "@" + DOMAINS[r.nextInt(DOMAINS.length)];
            String region = r.nextInt(10) == 0 ? null : REGIONS[r.nextInt(REGIONS.length)];
            BigDecimal balance = switch (r.nextInt(7)) {
                case 0 -> null;
                case 1 -> tieBalances[r.nextInt(tieBalances.length)];
                default -> BigDecimal.valueOf(r.nextInt(2_000_000) - 500_000, 2);
            };
            LocalDate created = r.nextInt(10) == 0 ? null : LocalDate.of(2020, 1, 1).plusDays(r.nextInt(1500));
            Integer score = r.nextInt(10) == 0 ? null : r.nextInt(201) - 100;
            customers.add("(" + id + ", " + str(name) + ", " + str(email) + ", " + str(region) + ", "
                    + (balance == null ? "NULL" : balance.toPlainString()) + ", "
                    + str(created == null ? null : created.toString()) + ", " + (score == null ? "NULL" : score) + ")");
        }
        List<String> orders = new ArrayList<>();
        for (long oid = 1; oid <= 600; oid++) {
            long cid = ids.get(r.nextInt(ids.size() * 2 / 3));
            String sku = String.format("SKU-%02d", r.nextInt(34));
            BigDecimal price = r.nextInt(4) == 0 ? new BigDecimal("9.99") : BigDecimal.valueOf(r.nextInt(50_000) + 1, 2);
            int qty = r.nextInt(12) - 1;
            orders.add("(" + oid + ", " + cid + ", " + str(sku) + ", " + price.toPlainString() + ", " + qty + ")");
        }
        List<String> tags = new ArrayList<>();
        for (long tid = 1; tid <= 150; tid++) {
            String label = LABELS[r.nextInt(LABELS.length)];
            Long cid = r.nextInt(8) == 0 ? null : ids.get(r.nextInt(ids.size()));
            Integer weight = r.nextInt(6) == 0 ? null : r.nextInt(21) - 10;
            tags.add("(" + tid + ", " + str(label) + ", " + (cid == null ? "NULL" : cid) + ", "
                    + (weight == null ? "NULL" : weight) + ")");
        }
        List<String> out = new ArrayList<>();
        batches(out, "INSERT INTO customer (customer_id, name, email, region, balance, created, score) VALUES ", customers);
        batches(out, "INSERT INTO corder (order_id, customer_id, sku, price, qty) VALUES ", orders);
        batches(out, "INSERT INTO tag (tag_id, label, customer_id, weight) VALUES ", tags);
        return out;
    }

    /** The INSERTs of the unsharded keyspace's product table. */
    static List<String> unshardedInserts() {
        Random r = new Random(SEED + 1);
        List<String> products = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            String sku = String.format("SKU-%02d", i);
            String title = (i % 3 == 0 ? "Deluxe " : i % 3 == 1 ? "basic " : "PRO ") + "item " + i;
            String category = r.nextInt(8) == 0 ? null : CATEGORIES[r.nextInt(CATEGORIES.length)];
            BigDecimal price = BigDecimal.valueOf(r.nextInt(20_000) + 100, 2);
            Integer stock = r.nextInt(6) == 0 ? null : r.nextInt(50) - 5;
            String madeIn = r.nextInt(7) == 0 ? null : REGIONS[r.nextInt(REGIONS.length)];
            products.add("(" + str(sku) + ", " + str(title) + ", " + str(category) + ", " + price.toPlainString() + ", "
                    + (stock == null ? "NULL" : stock) + ", " + str(madeIn) + ")");
        }
        List<String> out = new ArrayList<>();
        batches(out, "INSERT INTO product (sku, title, category, price, stock, made_in) VALUES ", products);
        out.add(REGION_REF_ROWS);
        return out;
    }

    private static void batches(List<String> out, String prefix, List<String> rows) {
        for (int i = 0; i < rows.size(); i += 50) {
            out.add(prefix + String.join(", ", rows.subList(i, Math.min(rows.size(), i + 50))));
        }
    }

    private static String str(String s) {
        return s == null ? "NULL" : "'" + s.replace("'", "''") + "'";
    }
}
