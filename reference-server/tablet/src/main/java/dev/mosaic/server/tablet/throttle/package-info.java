/**
 * The tablet throttler (Vitess's tablet throttler): polls the throttler metrics, on a primary
 * aggregates its shard's replicas, and answers "may this app write now?" with Vitess's codes
 * (200 OK, 429 threshold exceeded, 417 app denied, 404 unknown metric, 500 error). Configured per
 * keyspace in the topology ({@code Keyspace.throttler_config}).
 */
package dev.mosaic.server.tablet.throttle;
