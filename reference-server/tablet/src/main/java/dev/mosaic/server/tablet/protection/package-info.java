/**
 * The tablet's protections built on statement analysis ({@link dev.mosaic.server.tablet.plan}):
 * {@link dev.mosaic.server.tablet.protection.PlanTableAclChecker} puts table ACLs on the query
 * path, {@link dev.mosaic.server.tablet.protection.PlanTxSerializer} hot-row protection on the
 * transaction path. {@link dev.mosaic.server.tablet.TabletProtections} builds them from config.
 */
package dev.mosaic.server.tablet.protection;
