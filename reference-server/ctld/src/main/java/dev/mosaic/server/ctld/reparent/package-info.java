/**
 * The safety predicates of reparenting, derived from any durability policy (as Vitess's
 * reparentutil derives them from a {@code Durabler}): whether the tablets reached so far have
 * revoked every possible primary's ability to commit, and whether a candidate can make progress
 * with the tablets reached.
 */
package dev.mosaic.server.ctld.reparent;
