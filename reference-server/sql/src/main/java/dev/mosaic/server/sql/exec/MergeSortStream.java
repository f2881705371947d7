package dev.mosaic.server.sql.exec;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.sql.plan.OrderBy;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A streaming k-way merge of shard results that each arrive sorted by the same keys: holds one
 * row per shard in a heap, so memory is O(k) whatever the result size. Ties keep shard order,
 * which makes the merge deterministic.
 */
public final class MergeSortStream implements RowStream {
    private final List<RowStream> inputs;
    private final List<Field> fields;
    private final PriorityQueue<Head> heap;
    private final RowComparator comparator;
    private boolean started;

    private record Head(Row row, int source) {
    }

    /**
     * Merges {@code inputs}, each sorted by {@code keys}.
     *
     * @throws MosaicException {@code INTERNAL} if the inputs' column counts differ
     */
    public MergeSortStream(List<RowStream> inputs, List<OrderBy> keys) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs");
        }
        this.inputs = List.copyOf(inputs);
        this.fields = inputs.get(0).fields();
        for (RowStream in : inputs) {
            if (in.fields().size() != fields.size()) {
                throw new MosaicException(ErrorCode.INTERNAL, "shard results disagree on the number of columns: "
                        + fields.size() + " vs " + in.fields().size());
            }
        }
        this.comparator = new RowComparator(keys, fields);
        this.heap = new PriorityQueue<>(inputs.size(), (a, b) -> {
            int c = comparator.compare(a.row(), b.row());
            return c != 0 ? c : Integer.compare(a.source(), b.source());
        });
    }

    @Override
    public List<Field> fields() {
        return fields;
    }

    @Override
    public Row next() {
        if (!started) {
            started = true;
            for (int i = 0; i < inputs.size(); i++) {
                Row r = inputs.get(i).next();
                if (r != null) {
                    heap.add(new Head(r, i));
                }
            }
        }
        Head h = heap.poll();
        if (h == null) {
            return null;
        }
        Row following = inputs.get(h.source()).next();
        if (following != null) {
            heap.add(new Head(following, h.source()));
        }
        return h.row();
    }

    @Override
    public void close() {
        for (RowStream in : inputs) {
            in.close();
        }
    }
}
