package dev.mosaic.server.gate.differential;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded generator of SELECTs on {@code customer} and {@code corder}: random WHERE predicates
 * combined with projections, total ORDER BYs (the primary key breaks ties), LIMIT/OFFSET,
 * aggregates with and without GROUP BY, and DISTINCT. The same seed gives the same statements.
 */
final class QueryGenerator {
    private static final String[] CUSTOMER_PREDICATES = {
        "balance > %d", "balance < %d", "balance BETWEEN %d AND %d", "score >= %s", "score IS NULL",
        "region = '%s'", "region IS NULL", "region <> '%s'", "name LIKE '%s%%'", "email IS NOT NULL",
        "created >= '%s'", "customer_id IN (%s)", "customer_id = %s", "customer_id > %s", "score <> 0",
    };
    private static final String[] REGIONS = {"eu", "us", "Asia", "LATAM", "apac", "EU"};
    private static final String[] PREFIXES = {"a", "B", "z", "eV", "o"};
    private static final String[] SORT_COLUMNS = {"balance", "score", "name", "region", "created", "email"};
    private final Random random;

    QueryGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** {@code n} distinct statements. */
    List<String> generate(int n) {
        Set<String> out = new LinkedHashSet<>();
        while (out.size() < n) {
            out.add(switch (random.nextInt(6)) {
                case 0, 1 -> orderedRows();
                case 2 -> scalarAggregate();
                case 3 -> groupedAggregate();
                case 4 -> distinct();
                default -> joinedOrders();
            });
        }
        return new ArrayList<>(out);
    }

    private String where() {
        int n = random.nextInt(3);
        if (n == 0) {
            return "";
        }
        List<String> preds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            preds.add(predicate());
        }
        return " WHERE " + String.join(random.nextInt(3) == 0 ? " OR " : " AND ", preds);
    }

    private String predicate() {
        String p = CUSTOMER_PREDICATES[random.nextInt(CUSTOMER_PREDICATES.length)];
        int a = random.nextInt(8000) - 2000;
        return switch (p) {
            case "balance > %d", "balance < %d" -> String.format(p, a);
            case "balance BETWEEN %d AND %d" -> String.format(p, a, a + random.nextInt(3000));
            case "score >= %s" -> String.format(p, random.nextInt(201) - 100);
            case "region = '%s'", "region <> '%s'" -> String.format(p, REGIONS[random.nextInt(REGIONS.length)]);
            case "name LIKE '%s%%'" -> String.format(p, PREFIXES[random.nextInt(PREFIXES.length)]);
            case "created >= '%s'" -> String.format(p, "202" + random.nextInt(5) + "-0" + (1 + random.nextInt(9)) + "-15");
            case "customer_id IN (%s)" -> String.format(p, ids(2 + random.nextInt(6)));
            case "customer_id = %s" -> String.format(p, id());
            case "customer_id > %s" -> String.format(p, random.nextInt(260) - 20);
            default -> p;
        };
    }

    private String id() {
        int k = random.nextInt(20);
        return k == 0 ? String.valueOf(-1 - random.nextInt(12)) : k == 1 ? "900000000" + (1 + random.nextInt(8))
                : String.valueOf(1 + random.nextInt(250));
    }

    private String ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(id());
        }
        return String.join(", ", ids);
    }

    private String dir() {
        return random.nextBoolean() ? "" : " DESC";
    }

    private String limit() {
        return switch (random.nextInt(4)) {
            case 0 -> "";
            case 1 -> " LIMIT " + (1 + random.nextInt(30));
            case 2 -> " LIMIT " + random.nextInt(40) + ", " + (1 + random.nextInt(20));
            default -> " LIMIT " + (1 + random.nextInt(20)) + " OFFSET " + random.nextInt(60);
        };
    }

    private String orderedRows() {
        String k1 = SORT_COLUMNS[random.nextInt(SORT_COLUMNS.length)];
        String order = k1 + dir();
        if (random.nextBoolean()) {
            String k2 = SORT_COLUMNS[random.nextInt(SORT_COLUMNS.length)];
            if (!k2.equals(k1)) {
                order += ", " + k2 + dir();
            }
        }
        String select = random.nextBoolean() ? "customer_id, " + k1 : "customer_id, name, " + k1 + ", balance, score";
        return "SELECT " + select + " FROM customer" + where() + " ORDER BY " + order + ", customer_id" + dir() + limit();
    }

    private String scalarAggregate() {
        String[] aggs = {"COUNT(*)", "COUNT(email)", "SUM(balance)", "MIN(balance)", "MAX(balance)", "AVG(balance)",
            "SUM(score)", "AVG(score)", "MIN(created)", "MAX(created)", "MIN(region)", "MAX(email)"};
        List<String> chosen = new ArrayList<>();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            chosen.add(aggs[random.nextInt(aggs.length)]);
        }
        return "SELECT " + String.join(", ", chosen) + " FROM customer" + where();
    }

    private String groupedAggregate() {
        String key = random.nextBoolean() ? "region" : random.nextBoolean() ? "score" : "YEAR(created)";
        String[] aggs = {"COUNT(*)", "SUM(balance)", "MIN(balance)", "MAX(score)", "AVG(balance)", "AVG(score)",
            "COUNT(created)", "MAX(created)"};
        String agg1 = aggs[random.nextInt(aggs.length)];
        String agg2 = aggs[random.nextInt(aggs.length)];
        String order = random.nextInt(3) == 0 ? agg1 + dir() + ", " + key + dir() : key + dir();
        return "SELECT " + key + ", " + agg1 + ", " + agg2 + " FROM customer" + where() + " GROUP BY " + key
                + " ORDER BY " + order + limit();
    }

    private String distinct() {
        String cols = random.nextBoolean() ? "region" : random.nextBoolean() ? "region, score" : "score";
        return "SELECT DISTINCT " + cols + " FROM customer" + where() + (random.nextBoolean() ? "" : " ORDER BY " + cols);
    }

    private String joinedOrders() {
        String filter = random.nextInt(3) == 0 ? " AND c.customer_id = " + id()
                : random.nextBoolean() ? " AND o.qty > " + random.nextInt(10) : " AND c.balance < " + (random.nextInt(6000) - 1000);
        if (random.nextBoolean()) {
            return "SELECT c.customer_id, c.name, o.order_id, o.price * o.qty FROM customer c JOIN corder o"
                    + " ON c.customer_id = o.customer_id WHERE 1 = 1" + filter + " ORDER BY o.order_id" + dir() + limit();
        }
        return "SELECT o.sku, COUNT(*), SUM(o.qty), MAX(o.price) FROM customer c JOIN corder o"
                + " ON c.customer_id = o.customer_id WHERE 1 = 1" + filter + " GROUP BY o.sku ORDER BY o.sku" + dir();
    }
}
