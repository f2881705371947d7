package dev.mosaic.durability.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.spi.durability.DurabilityPolicyFactory;
import dev.mosaic.tck.durability.DurabilityContract;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every built-in durability policy keeps the TCK durability contract: one nested contract per
 * type, each found through ServiceLoader by its type name, as a host finds it.
 */
class BuiltinDurabilityContractTest {
    /** The five types, so that a new type without a contract below fails here. */
    @Test
    void everyRegisteredTypeHasAContract() {
        List<String> types = new ArrayList<>();
        ServiceLoader.load(DurabilityPolicyFactory.class).forEach(f -> types.add(f.type()));
        assertEquals(List.of("cross_cell", "cross_cell_with_rdonly_ack", "none", "semi_sync", "semi_sync_with_rdonly_ack"),
                types.stream().sorted().toList());
    }

    /** The contract over the registered provider of {@code type}. */
    abstract static class Builtin extends DurabilityContract {
        private final String type;

        Builtin(String type) {
            this.type = type;
        }

        @Override
        protected DurabilityPolicyFactory factory() {
            for (DurabilityPolicyFactory f : ServiceLoader.load(DurabilityPolicyFactory.class)) {
                if (f.type().equals(type)) {
                    return f;
                }
            }
            throw new AssertionError("no durability policy " + type);
        }
    }

    @Nested
    class None extends Builtin {
        None() {
            super("none");
        }
    }

    @Nested
    class SemiSync extends Builtin {
        SemiSync() {
            super("semi_sync");
        }
    }

    @Nested
    class SemiSyncWithRdonlyAck extends Builtin {
        SemiSyncWithRdonlyAck() {
            super("semi_sync_with_rdonly_ack");
        }
    }

    @Nested
    class CrossCell extends Builtin {
        CrossCell() {
            super("cross_cell");
        }
    }

    @Nested
    class CrossCellWithRdonlyAck extends Builtin {
        CrossCellWithRdonlyAck() {
            super("cross_cell_with_rdonly_ack");
        }
    }
}
