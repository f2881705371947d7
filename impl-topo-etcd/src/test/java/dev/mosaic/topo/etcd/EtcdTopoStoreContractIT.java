package dev.mosaic.topo.etcd;

import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.TopoStoreFactory;
import dev.mosaic.tck.topo.TopoStoreContract;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TCK's topology contract against a real etcd. Sessions are killed the way a crashed process
 * loses them (keep-alives stop, the lease is not revoked, etcd expires it after {@code lease_ttl});
 * the backend restart stops and starts the same etcd member.
 */
class EtcdTopoStoreContractIT extends TopoStoreContract {
    @RegisterExtension
    static final EtcdExtension ETCD = new EtcdExtension();

    @Override
    protected TopoStoreFactory factory() {
        return new EtcdTopoFactory();
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return Map.of("endpoints", ETCD.endpoint(), "root", "/mosaic-tck", "lease_ttl", "3s",
                "request_timeout", "5s", "dial_timeout", "5s");
    }

    @Override
    protected void killSession(TopoStore store) {
        ((EtcdTopoStore) store).shutdown(false);
    }

    @Override
    protected boolean restartBackend() {
        ETCD.server().restart();
        return true;
    }

    @Override
    protected Duration lockHoldDuration() {
        return Duration.ofSeconds(9); // 3 lease TTLs (lease_ttl 3s): the keep-alive must outlive the call that took the lock
    }
}
