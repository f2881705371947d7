package dev.mosaic.server.sql.exec;

import java.util.List;

/** The rows of several shard results one after the other (unordered multi-shard results). */
public final class ConcatStream implements RowStream {
    private final List<RowStream> inputs;
    private int current;

    /** Concatenates {@code inputs} (at least one). */
    public ConcatStream(List<RowStream> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs");
        }
        this.inputs = List.copyOf(inputs);
    }

    @Override
    public List<Field> fields() {
        return inputs.get(0).fields();
    }

    @Override
    public Row next() {
        while (current < inputs.size()) {
            Row r = inputs.get(current).next();
            if (r != null) {
                return r;
            }
            current++;
        }
        return null;
    }

    @Override
    public void close() {
        for (RowStream in : inputs) {
            in.close();
        }
    }
}
