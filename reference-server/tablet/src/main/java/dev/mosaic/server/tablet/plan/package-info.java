/**
 * The tablet's statement analysis: {@link dev.mosaic.server.tablet.plan.StatementAnalyzer} reads a
 * SQL statement (JSqlParser) into a {@link dev.mosaic.server.tablet.plan.TabletPlan} (what it does,
 * the tables it reads, writes and alters, the row a single-table UPDATE / DELETE targets), and
 * {@link dev.mosaic.server.tablet.plan.PlanCache} keeps plans by SQL text. Table ACLs and hot-row
 * protection are built on it; it knows neither.
 */
package dev.mosaic.server.tablet.plan;
