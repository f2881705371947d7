/**
 * Per-table access control, configured as Vitess's table ACLs: groups of tables (exact names, or
 * prefixes written with a trailing {@code %}) with the users allowed to read, write and administer
 * them.
 *
 * <p>{@link dev.mosaic.server.tablet.acl.TableAclConfig} is the parsed JSON file, {@link
 * dev.mosaic.server.tablet.acl.TableAcl} the compiled, immutable lookup, and {@link
 * dev.mosaic.server.tablet.acl.TableAclGuard} what the query engine calls: it holds the current ACL,
 * reloads it from its file with an atomic swap, applies the enforcement settings and counts
 * decisions.
 */
package dev.mosaic.server.tablet.acl;
