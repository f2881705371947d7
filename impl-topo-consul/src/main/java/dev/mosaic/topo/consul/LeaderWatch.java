package dev.mosaic.topo.consul;

import dev.mosaic.spi.topo.TopoException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Who leads an election, by blocking queries on its leader key: the key's value while a session
 * holds it, else empty. Repeated values are not delivered. If Consul stays unreachable the watch
 * ends after delivering empty (the leader is unknown).
 */
final class LeaderWatch extends PollingWatch implements AutoCloseable {
    private final String key;
    private final Consumer<Optional<String>> listener;
    private Optional<String> last;

    LeaderWatch(ConsulSettings settings, String election, String key, Consumer<Optional<String>> listener, Runnable onEnd) {
        super(settings, election, "consul-leader-watch " + election, onEnd);
        this.key = key;
        this.listener = listener;
    }

    static Optional<String> leaderOf(Optional<ConsulKv.Entry> e) {
        return e.filter(ConsulKv.Entry::locked).map(x -> new String(x.value(), StandardCharsets.UTF_8));
    }

    @Override
    protected boolean poll() {
        ConsulKv.Read<Optional<ConsulKv.Entry>> r = kv.get(key, path, index, settings.watchWait());
        Optional<String> leader = leaderOf(r.value());
        if (!leader.equals(last)) {
            last = leader;
            listener.accept(leader);
        }
        advance(r.index());
        return true;
    }

    @Override
    protected void onCancelled() {
        // closing the handle ends the stream; nothing is delivered
    }

    @Override
    protected void onFailed(TopoException error) {
        if (last == null || last.isPresent()) {
            listener.accept(Optional.empty());
        }
    }

    @Override
    public void close() {
        stop();
    }
}
