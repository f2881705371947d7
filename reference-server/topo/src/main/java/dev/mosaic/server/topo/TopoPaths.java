package dev.mosaic.server.topo;

import dev.mosaic.api.cluster.TabletAlias;

/**
 * Where each record lives, as in Vitess's {@code go/vt/topo} ({@code server.go} file and path
 * constants): the same directory names and file names, relative to the store's root.
 *
 * <pre>
 * global topology                                     cell topology
 *   cells/&lt;cell&gt;/CellInfo                               tablets/&lt;alias&gt;/Tablet
 *   keyspaces/&lt;ks&gt;/Keyspace                              keyspaces/&lt;ks&gt;/SrvKeyspace
 *   keyspaces/&lt;ks&gt;/VSchema                               keyspaces/&lt;ks&gt;/shards/&lt;shard&gt;/ShardReplication
 *   keyspaces/&lt;ks&gt;/shards/&lt;shard&gt;/Shard                  SrvVSchema
 *   RoutingRules
 *   ShardRoutingRules
 *   routing_rules/keyspace/KeyspaceRoutingRules
 * </pre>
 *
 * Keyspace and shard locks are taken on the directories {@code keyspaces/<ks>} and
 * {@code keyspaces/<ks>/shards/<shard>} of the global topology.
 */
public final class TopoPaths {
    /** The name under which the global topology appears next to the cells ({@code /global/...}). */
    public static final String GLOBAL_CELL = "global";

    /** File names. */
    public static final String CELL_INFO_FILE = "CellInfo";
    public static final String KEYSPACE_FILE = "Keyspace";
    public static final String SHARD_FILE = "Shard";
    public static final String VSCHEMA_FILE = "VSchema";
    public static final String SHARD_REPLICATION_FILE = "ShardReplication";
    public static final String TABLET_FILE = "Tablet";
    public static final String SRV_VSCHEMA_FILE = "SrvVSchema";
    public static final String SRV_KEYSPACE_FILE = "SrvKeyspace";
    public static final String ROUTING_RULES_FILE = "RoutingRules";
    public static final String SHARD_ROUTING_RULES_FILE = "ShardRoutingRules";
    public static final String KEYSPACE_ROUTING_RULES_FILE = "KeyspaceRoutingRules";

    /** Directory names. */
    public static final String CELLS_PATH = "cells";
    public static final String KEYSPACES_PATH = "keyspaces";
    public static final String SHARDS_PATH = "shards";
    public static final String TABLETS_PATH = "tablets";
    public static final String ROUTING_RULES_PATH = "routing_rules";
    public static final String KEYSPACE_ROUTING_RULES_PATH = ROUTING_RULES_PATH + "/keyspace";

    private TopoPaths() {
    }

    /** {@code cells/<cell>}: global. */
    public static String cellDir(String cell) {
        return CELLS_PATH + "/" + segment("cell", cell);
    }

    /** {@code cells/<cell>/CellInfo}: global. */
    public static String cellInfo(String cell) {
        return cellDir(cell) + "/" + CELL_INFO_FILE;
    }

    /** {@code keyspaces/<ks>}: global (the keyspace lock) and cell. */
    public static String keyspaceDir(String keyspace) {
        return KEYSPACES_PATH + "/" + segment("keyspace", keyspace);
    }

    /** {@code keyspaces/<ks>/Keyspace}: global. */
    public static String keyspace(String keyspace) {
        return keyspaceDir(keyspace) + "/" + KEYSPACE_FILE;
    }

    /** {@code keyspaces/<ks>/VSchema}: global. */
    public static String vschema(String keyspace) {
        return keyspaceDir(keyspace) + "/" + VSCHEMA_FILE;
    }

    /** {@code keyspaces/<ks>/shards}: global and cell. */
    public static String shardsDir(String keyspace) {
        return keyspaceDir(keyspace) + "/" + SHARDS_PATH;
    }

    /** {@code keyspaces/<ks>/shards/<shard>}: global (the shard lock) and cell. */
    public static String shardDir(String keyspace, String shard) {
        return shardsDir(keyspace) + "/" + segment("shard", shard);
    }

    /** {@code keyspaces/<ks>/shards/<shard>/Shard}: global. */
    public static String shard(String keyspace, String shard) {
        return shardDir(keyspace, shard) + "/" + SHARD_FILE;
    }

    /** {@code keyspaces/<ks>/shards/<shard>/ShardReplication}: cell. */
    public static String shardReplication(String keyspace, String shard) {
        return shardDir(keyspace, shard) + "/" + SHARD_REPLICATION_FILE;
    }

    /** {@code keyspaces/<ks>/SrvKeyspace}: cell. */
    public static String srvKeyspace(String keyspace) {
        return keyspaceDir(keyspace) + "/" + SRV_KEYSPACE_FILE;
    }

    /** {@code SrvVSchema}: cell. */
    public static String srvVSchema() {
        return SRV_VSCHEMA_FILE;
    }

    /** {@code tablets/<cell-uid>}: cell. */
    public static String tabletDir(TabletAlias alias) {
        return TABLETS_PATH + "/" + alias;
    }

    /** {@code tablets/<cell-uid>/Tablet}: cell. */
    public static String tablet(TabletAlias alias) {
        return tabletDir(alias) + "/" + TABLET_FILE;
    }

    /** {@code RoutingRules}: global. */
    public static String routingRules() {
        return ROUTING_RULES_FILE;
    }

    /** {@code ShardRoutingRules}: global. */
    public static String shardRoutingRules() {
        return SHARD_ROUTING_RULES_FILE;
    }

    /** {@code routing_rules/keyspace/KeyspaceRoutingRules}: global. */
    public static String keyspaceRoutingRules() {
        return KEYSPACE_ROUTING_RULES_PATH + "/" + KEYSPACE_ROUTING_RULES_FILE;
    }

    /** The last segment of a path. */
    public static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static String segment(String what, String name) {
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(what + " name '" + name + "' cannot be used as a topology path segment");
        }
        return name;
    }
}
