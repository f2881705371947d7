package dev.mosaic.server.tablet.protection;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.tablet.acl.Caller;
import dev.mosaic.server.tablet.acl.TableAclGuard;
import dev.mosaic.server.tablet.plan.PlanCache;
import dev.mosaic.server.tablet.plan.TabletPlan;
import dev.mosaic.server.tablet.query.StatementKind;
import dev.mosaic.server.tablet.query.TableAclChecker;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Table ACLs on the query path: checks every table a statement's {@link TabletPlan} touches with
 * the role it needs there (READER for reads, WRITER for DML targets, ADMIN for DDL), through a
 * {@link TableAclGuard}, as Vitess's query executor does with its plan's permissions.
 *
 * <ul>
 *   <li>A statement that touches no table ({@code SELECT 1}, {@code SELECT ... FROM dual},
 *       {@code SET}, {@code BEGIN}, {@code SHOW ...}) is not checked.
 *   <li>A statement whose tables cannot be determined ({@code CALL}, {@code DO},
 *       {@code LOAD DATA}, {@code REPAIR}, several statements in one text, text the parser cannot
 *       read) is denied to every caller but the exempt ones, after its known tables are checked
 *       (Vitess fails closed the same way under strict table ACL).
 *   <li>A caller without a name, on a statement that needs checking, is {@code UNAUTHENTICATED}
 *       "missing caller id" (Vitess under strict table ACL), except in dry-run mode.
 * </ul>
 *
 * <p>The plan comes from the shared {@link PlanCache}, so a repeated statement costs one cache
 * lookup plus one ACL lookup per table. The principal is a user name; caller groups are not
 * passed through the engines yet. Thread-safe.
 */
public final class PlanTableAclChecker implements TableAclChecker {
    private final TableAclGuard guard;
    private final PlanCache plans;

    /** Checks statements against {@code guard}, with plans from {@code plans}. */
    public PlanTableAclChecker(TableAclGuard guard, PlanCache plans) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.plans = Objects.requireNonNull(plans, "plans");
    }

    @Override
    public void check(String principal, String sql, StatementKind kind) {
        TabletPlan plan = plans.get(sql);
        List<TabletPlan.TablePermission> permissions = plan.permissions();
        if (permissions.isEmpty() && !plan.tablesUndetermined()) {
            return;
        }
        Caller caller = Caller.of(principal == null ? "" : principal);
        if (caller.user().isEmpty()) {
            if (guard.settings().dryRun()) {
                return;
            }
            throw new MosaicException(ErrorCode.UNAUTHENTICATED, "missing caller id");
        }
        for (TabletPlan.TablePermission p : permissions) {
            guard.check(caller, p.table(), p.role());
        }
        if (plan.tablesUndetermined()) {
            String word = StatementKind.firstWord(sql).toUpperCase(Locale.ROOT);
            guard.checkUndetermined(caller, plan.kindRole(), word.isEmpty() ? "this statement" : word);
        }
    }

    /** The guard in force (for reloads, status pages and tests). */
    public TableAclGuard guard() {
        return guard;
    }
}
