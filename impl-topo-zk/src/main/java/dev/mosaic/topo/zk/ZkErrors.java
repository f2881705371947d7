package dev.mosaic.topo.zk;

import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;

/** Maps ZooKeeper failures to the SPI's typed errors. */
final class ZkErrors {
    private ZkErrors() {
    }

    static TopoError kind(KeeperException.Code code) {
        return switch (code) {
            case NONODE -> TopoError.NO_NODE;
            case NODEEXISTS, NOCHILDRENFOREPHEMERALS -> TopoError.NODE_EXISTS;
            case BADVERSION -> TopoError.BAD_VERSION;
            case NOTEMPTY -> TopoError.NOT_EMPTY;
            case UNIMPLEMENTED -> TopoError.NO_IMPLEMENTATION;
            case OPERATIONTIMEOUT, REQUESTTIMEOUT -> TopoError.TIMEOUT;
            // CONNECTIONLOSS, SESSIONEXPIRED, SESSIONMOVED, NOAUTH, AUTHFAILED, ... : the store cannot serve us.
            default -> TopoError.UNAVAILABLE;
        };
    }

    static TopoException map(KeeperException e, String path) {
        return new TopoException(kind(e.code()), path, "ZooKeeper: " + e.code() + describe(e), e);
    }

    private static String describe(KeeperException e) {
        return e.getPath() == null ? "" : " (" + e.getPath() + ")";
    }

    static TopoException interrupted(String path, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new TopoException(TopoError.INTERRUPTED, path, "interrupted while talking to ZooKeeper", e);
    }

    /**
     * The index and code of the operation that made a multi fail: ZooKeeper reports OK for the
     * ops before it and RUNTIMEINCONSISTENCY for those after.
     */
    static int failedOp(KeeperException e) {
        var results = e.getResults();
        if (results == null) {
            return -1;
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof OpResult.ErrorResult err
                    && err.getErr() != KeeperException.Code.OK.intValue()
                    && err.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                return i;
            }
        }
        return -1;
    }
}
