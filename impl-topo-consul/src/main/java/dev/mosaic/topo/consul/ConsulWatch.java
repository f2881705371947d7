package dev.mosaic.topo.consul;

import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.Versioned;
import dev.mosaic.spi.topo.Watch;
import dev.mosaic.spi.topo.WatchEvent;
import dev.mosaic.spi.topo.WatchListener;
import java.util.Optional;

/**
 * A watch of one file: blocking GETs of its key. A change of ModifyIndex is a
 * {@link WatchEvent.Changed}; a 404, or a different CreateIndex (deleted and re-created between two
 * queries), ends the watch with {@link WatchEvent.Deleted}.
 */
final class ConsulWatch extends PollingWatch implements Watch {
    private final String key;
    private final WatchListener listener;
    private final Versioned initial;
    private final long createIndex;
    private long lastModifyIndex;

    ConsulWatch(ConsulSettings settings, String path, ConsulKv.Entry first, WatchListener listener, Runnable onEnd) {
        super(settings, path, "consul-watch " + path, onEnd);
        this.key = first.key();
        this.listener = listener;
        this.initial = new Versioned(first.value(), new Version(first.modifyIndex()));
        this.createIndex = first.createIndex();
        this.lastModifyIndex = first.modifyIndex();
    }

    @Override
    public Versioned initial() {
        return initial;
    }

    @Override
    protected boolean poll() {
        ConsulKv.Read<Optional<ConsulKv.Entry>> r = kv.get(key, path, index, settings.watchWait());
        if (r.value().isEmpty() || r.value().get().createIndex() != createIndex) {
            listener.onEvent(new WatchEvent.Deleted(path, true));
            return false;
        }
        ConsulKv.Entry e = r.value().get();
        if (e.modifyIndex() != lastModifyIndex) {
            lastModifyIndex = e.modifyIndex();
            listener.onEvent(new WatchEvent.Changed(path, new Versioned(e.value(), new Version(e.modifyIndex()))));
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
