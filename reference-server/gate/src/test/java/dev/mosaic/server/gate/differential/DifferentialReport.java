package dev.mosaic.server.gate.differential;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The counts of a differential run: statements, compared, matched, rejected as unsupported (and,
 * per construct, how many of the statements containing it were rejected), mismatches. Renders them
 * as a Markdown table.
 */
final class DifferentialReport {
    private final long seed;
    private int total;
    private int matched;
    private int rejected;
    private int mismatched;
    private final Map<Construct, int[]> byConstruct = new EnumMap<>(Construct.class);

    DifferentialReport(long seed) {
        this.seed = seed;
    }

    /** Counts one statement with its constructs and verdict. */
    void add(Set<Construct> constructs, Verdict verdict) {
        total++;
        switch (verdict) {
            case MATCH -> matched++;
            case REJECTED -> rejected++;
            default -> mismatched++;
        }
        for (Construct c : constructs) {
            int[] n = byConstruct.computeIfAbsent(c, k -> new int[2]);
            n[0]++;
            if (verdict == Verdict.REJECTED) {
                n[1]++;
            }
        }
    }

    int total() {
        return total;
    }

    int matched() {
        return matched;
    }

    int rejected() {
        return rejected;
    }

    int mismatched() {
        return mismatched;
    }

    /** Statements compared with the oracle's answer: all but the rejected ones. */
    int compared() {
        return total - rejected;
    }

    /** The Markdown report; {@code header} names the run (seed, count, date). */
    String markdown(String header) {
        StringBuilder sb = new StringBuilder();
        sb.append(header).append("\n\n");
        sb.append("| statements | compared | matched | mismatched | rejected (unsupported) |\n|---:|---:|---:|---:|---:|\n");
        sb.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d (%s) |%n%n", total, compared(), matched, mismatched,
                rejected, pct(rejected, total)));
        sb.append("| construct | statements containing it | rejected | rejected fraction |\n|---|---:|---:|---:|\n");
        byConstruct.entrySet().stream()
                .sorted((a, b) -> Double.compare(frac(b.getValue()), frac(a.getValue())) != 0
                        ? Double.compare(frac(b.getValue()), frac(a.getValue())) : a.getKey().compareTo(b.getKey()))
                .forEach(e -> sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %s |%n", e.getKey().label(),
                        e.getValue()[0], e.getValue()[1], pct(e.getValue()[1], e.getValue()[0]))));
        return sb.toString();
    }

    long seed() {
        return seed;
    }

    private static double frac(int[] n) {
        return n[0] == 0 ? 0 : (double) n[1] / n[0];
    }

    private static String pct(int part, int whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
