package dev.mosaic.topo.etcd;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real etcd per test class ({@code @RegisterExtension static EtcdExtension etcd}) and
 * stops it after. Without an etcd binary the class is skipped with the reason, except under
 * {@code CI=true}, where it fails: CI must install {@code etcd-server}, and a silently skipped
 * backend test would hide that.
 */
final class EtcdExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {
    static final String MISSING = "etcd not found (looked at $ETCD_BIN, PATH and /usr/bin/etcd); "
            + "install it with: apt-get install -y etcd-server etcd-client";

    private EtcdServer server;

    static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (EtcdServer.findBinary().isPresent()) {
            return ConditionEvaluationResult.enabled("etcd found");
        }
        return onCi() ? ConditionEvaluationResult.enabled("CI=true: will fail because " + MISSING)
                : ConditionEvaluationResult.disabled(MISSING + " (skipped because CI is not 'true')");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<Path> binary = EtcdServer.findBinary();
        if (binary.isEmpty()) {
            throw new IllegalStateException("CI=true but " + MISSING);
        }
        server = EtcdServer.launch(binary.get());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server. */
    EtcdServer server() {
        if (server == null) {
            throw new IllegalStateException("etcd is not running (used outside the test class's lifecycle?)");
        }
        return server;
    }

    String endpoint() {
        return server().endpoint();
    }
}
