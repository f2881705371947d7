package dev.mosaic.topo.consul;

import dev.mosaic.spi.topo.KeyValue;
import dev.mosaic.spi.topo.RecursiveWatch;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.Versioned;
import dev.mosaic.spi.topo.WatchEvent;
import dev.mosaic.spi.topo.WatchListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A watch of a subtree: blocking {@code ?recurse} GETs of the directory's prefix, each reply
 * compared with the previous one. Files that vanished are reported first (as non-final
 * {@link WatchEvent.Deleted}), then created or changed files in ModifyIndex order.
 */
final class ConsulRecursiveWatch extends PollingWatch implements RecursiveWatch {
    private final String prefix;
    private final WatchListener listener;
    private final List<KeyValue> initial;
    private Map<String, ConsulKv.Entry> known = new HashMap<>();

    ConsulRecursiveWatch(ConsulSettings settings, String dirPath, String prefix, List<ConsulKv.Entry> first,
                         WatchListener listener, Runnable onEnd) {
        super(settings, dirPath, "consul-watch-tree " + dirPath, onEnd);
        this.prefix = prefix;
        this.listener = listener;
        List<KeyValue> init = new ArrayList<>();
        for (ConsulKv.Entry e : first) {
            known.put(e.key(), e);
            init.add(new KeyValue(settings.path(e.key()), e.value(), new Version(e.modifyIndex())));
        }
        this.initial = List.copyOf(init);
    }

    @Override
    public List<KeyValue> initial() {
        return initial;
    }

    @Override
    protected boolean poll() {
        ConsulKv.Read<List<ConsulKv.Entry>> r = kv.recurse(prefix, path, index, settings.watchWait());
        Map<String, ConsulKv.Entry> now = new HashMap<>();
        for (ConsulKv.Entry e : r.value()) {
            now.put(e.key(), e);
        }
        List<String> gone = new ArrayList<>();
        for (String k : known.keySet()) {
            ConsulKv.Entry e = now.get(k);
            if (e == null || e.createIndex() != known.get(k).createIndex()) {
                gone.add(k);
            }
        }
        gone.sort(Comparator.naturalOrder());
        List<ConsulKv.Entry> changed = new ArrayList<>();
        for (ConsulKv.Entry e : now.values()) {
            ConsulKv.Entry old = known.get(e.key());
            if (old == null || old.modifyIndex() != e.modifyIndex()) {
                changed.add(e);
            }
        }
        changed.sort(Comparator.comparingLong(ConsulKv.Entry::modifyIndex).thenComparing(ConsulKv.Entry::key));
        known = now;
        for (String k : gone) {
            listener.onEvent(new WatchEvent.Deleted(settings.path(k), false));
        }
        for (ConsulKv.Entry e : changed) {
            listener.onEvent(new WatchEvent.Changed(settings.path(e.key()),
                    new Versioned(e.value(), new Version(e.modifyIndex()))));
        }
        advance(r.index());
        return true;
    }

    @Override
    protected void onCancelled() {
        listener.onEvent(new WatchEvent.Cancelled(path));
    }

    @Override
    protected void onFailed(TopoException error) {
        listener.onEvent(new WatchEvent.Failed(path, error));
    }

    @Override
    public void cancel() {
        stop();
    }
}
