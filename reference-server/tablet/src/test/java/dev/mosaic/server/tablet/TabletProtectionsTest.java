package dev.mosaic.server.tablet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.protection.PlanTableAclChecker;
import dev.mosaic.server.tablet.protection.PlanTxSerializer;
import dev.mosaic.server.tablet.query.StatementKind;
import dev.mosaic.server.tablet.query.TableAclChecker;
import dev.mosaic.server.tablet.tx.TxSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabletProtectionsTest {
    private static final String ACL = """
            {"table_groups": [{"name": "t", "table_names_or_prefixes": ["t"], "readers": ["r"]}]}""";

    @TempDir
    Path dir;

    private static TabletProtections build(Map<String, String> keys) {
        return TabletProtections.fromConfig(TabletConfig.fromMap(keys), new SimpleMeterRegistry());
    }

    @Test
    void nothingConfiguredMeansNoProtectionAndNoPlanCache() {
        TabletProtections p = build(Map.of());
        assertSame(TableAclChecker.ALLOW_ALL, p.extensions().acl());
        assertSame(TxSerializer.NONE, p.extensions().txSerializer());
        assertTrue(p.plans().isEmpty());
        assertEquals(TabletExtensions.NONE, TabletExtensions.fromConfig(TabletConfig.defaults(), new SimpleMeterRegistry()));
    }

    @Test
    void strictAclAndHotRowAreWired() throws IOException {
        Path file = Files.writeString(dir.resolve("acl.json"), ACL);
        TabletProtections p = build(Map.of("acl.file", file.toString(), "acl.strict", "true", "hotrow.enabled", "true"));
        assertInstanceOf(PlanTableAclChecker.class, p.extensions().acl());
        assertInstanceOf(PlanTxSerializer.class, p.extensions().txSerializer());
        assertTrue(p.hotRow().isPresent());
        MosaicException e = assertThrows(MosaicException.class,
                () -> p.extensions().acl().check("r", "DELETE FROM t", StatementKind.WRITE));
        assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    }

    @Test
    void withoutStrictOrDryRunTheAclIsLoadedButNotEnforced() throws IOException {
        Path file = Files.writeString(dir.resolve("acl.json"), ACL);
        TabletProtections p = build(Map.of("acl.file", file.toString()));
        assertTrue(p.aclGuard().isPresent());
        assertSame(TableAclChecker.ALLOW_ALL, p.extensions().acl());
    }

    @Test
    void aBadAclFileStopsStartupOnlyWhenEnforced() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"table_groups\": [{\"nmae\": \"x\"}]}");
        MosaicException e = assertThrows(MosaicException.class,
                () -> build(Map.of("acl.file", bad.toString(), "acl.strict", "true", "acl.enforce-config", "true")));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("$.table_groups[0].nmae"), e.getMessage());

        TabletProtections lenient = build(Map.of("acl.file", bad.toString(), "acl.strict", "true"));
        assertTrue(lenient.aclGuard().orElseThrow().lastReloadError().isPresent());
        MosaicException denied = assertThrows(MosaicException.class,
                () -> lenient.extensions().acl().check("r", "SELECT * FROM t", StatementKind.READ));
        assertEquals(ErrorCode.PERMISSION_DENIED, denied.code(), "an empty ACL covers no table: strict denies");
    }
}
