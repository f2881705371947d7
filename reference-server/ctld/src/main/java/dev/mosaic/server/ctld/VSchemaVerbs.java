package dev.mosaic.server.ctld;

import static dev.mosaic.server.ctld.CtldErrors.isNoNode;
import static dev.mosaic.server.ctld.CtldErrors.notFound;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.json.JsonPath;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.RoutingRule;
import dev.mosaic.api.vschema.VSchemaError;
import dev.mosaic.api.vschema.VSchemaException;
import dev.mosaic.api.vschema.VindexDef;
import dev.mosaic.api.vschema.VindexTypes;
import dev.mosaic.proto.topo.RoutingRules;
import dev.mosaic.proto.vtctldata.ApplyRoutingRulesRequest;
import dev.mosaic.proto.vtctldata.ApplyVSchemaRequest;
import dev.mosaic.proto.vtctldata.ApplyVSchemaResponse;
import dev.mosaic.server.topo.ActionLock;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.vindex.LookupVindex;
import dev.mosaic.spi.vindex.MultiColumnVindex;
import dev.mosaic.spi.vindex.Vindex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ApplyVSchema, GetVSchema, ApplyRoutingRules and GetRoutingRules. A vschema is read, checked for
 * meaning and checked against the vindex plugins (each vindex is created with its params, so an
 * unknown type or a bad parameter is found) before anything is stored; every problem is reported
 * with its JSON path.
 */
final class VSchemaVerbs {
    /** The name of the global lock ApplyRoutingRules takes (Vitess's routing rules lock). */
    static final String ROUTING_RULES_LOCK = "routing_rules";

    private final TopoServer topo;
    private final TopologyReads reads;
    private final TopologyVerbs topology;
    private final Plugins plugins;

    VSchemaVerbs(TopologyReads reads, TopologyVerbs topology, Plugins plugins) {
        this.topo = reads.topo();
        this.reads = reads;
        this.topology = topology;
        this.plugins = plugins;
    }

    ApplyVSchemaResponse applyVSchema(ApplyVSchemaRequest req) {
        String ks = req.getKeyspace();
        reads.keyspace(ks);
        if (req.getVSchemaJson().isBlank()) {
            throw CtldErrors.invalid("v_schema_json is empty; pass the keyspace's vschema JSON ({} for none)");
        }
        List<String> cells = topology.cells(req.getCellsList());
        KeyspaceVSchema vschema = validate(req.getVSchemaJson());
        if (!req.getDryRun()) {
            try (ActionLock lock = topo.lockKeyspace(ks, "ApplyVSchema")) {
                lock.saveVSchema(vschema);
            }
            if (!req.getSkipRebuild()) {
                topo.rebuildSrvVSchema(cells);
            }
        }
        return ApplyVSchemaResponse.newBuilder().setVSchemaJson(vschema.toJson()).build();
    }

    /**
     * Reads and validates a vschema document.
     *
     * @throws VSchemaException (INVALID_ARGUMENT) listing every problem as {@code path: reason}
     */
    KeyspaceVSchema validate(String json) {
        KeyspaceVSchema vschema = KeyspaceVSchema.fromJson(json);
        List<VSchemaError> errors = new ArrayList<>();
        Map<String, Vindex> created = new HashMap<>();
        List<String> known = plugins.types(PluginKind.VINDEX);
        for (Map.Entry<String, VindexDef> e : vschema.vindexes().entrySet()) {
            String path = JsonPath.member(JsonPath.member(JsonPath.ROOT, "vindexes"), e.getKey());
            VindexDef def = e.getValue();
            if (def.type().isEmpty()) {
                continue; // reported by the model's own validation
            }
            if (!known.contains(def.type())) {
                errors.add(new VSchemaError(JsonPath.member(path, "type"), "vindex type \"" + def.type()
                        + "\" is not known; " + (known.isEmpty() ? "no vindex plugins are installed"
                        : "known types: " + String.join(", ", known))));
                continue;
            }
            try {
                created.put(def.type(), plugins.create(PluginKind.VINDEX, def.type(), e.getKey(), def.params()));
            } catch (MosaicException | IllegalArgumentException ex) {
                errors.add(new VSchemaError(JsonPath.member(path, "params"), ex.getMessage()));
            }
        }
        errors.addAll(vschema.validate(typesOf(created)));
        if (!errors.isEmpty()) {
            throw new VSchemaException("vschema", errors);
        }
        return vschema;
    }

    /** What validation needs to know of each type, from the instances created from the document. */
    private static VindexTypes typesOf(Map<String, Vindex> byType) {
        VindexTypes builtin = VindexTypes.builtin();
        return new VindexTypes() {
            @Override
            public boolean isUnique(String type) {
                Vindex v = byType.get(type);
                return v == null ? builtin.isUnique(type) : v.isUnique();
            }

            @Override
            public boolean isLookup(String type) {
                Vindex v = byType.get(type);
                return v == null ? builtin.isLookup(type) : v instanceof LookupVindex;
            }

            @Override
            public boolean isMultiColumn(String type) {
                Vindex v = byType.get(type);
                return v == null ? builtin.isMultiColumn(type) : v instanceof MultiColumnVindex;
            }
        };
    }

    String getVSchema(String ks) {
        reads.keyspace(ks);
        try {
            return topo.getVSchema(ks).toJson();
        } catch (TopoException e) {
            if (isNoNode(e)) {
                throw notFound("keyspace " + ks + " has no vschema");
            }
            throw e;
        }
    }

    void applyRoutingRules(ApplyRoutingRulesRequest req) {
        RoutingRules rules = req.getRoutingRules();
        List<RoutingRule> model = new ArrayList<>();
        for (var r : rules.getRulesList()) {
            model.add(new RoutingRule(r.getFromTable(), r.getToTablesList()));
        }
        List<VSchemaError> errors = new dev.mosaic.api.vschema.RoutingRules(model).validate();
        if (!errors.isEmpty()) {
            throw new VSchemaException("routing rules", errors);
        }
        List<String> cells = topology.cells(req.getRebuildCellsList());
        TopoLock lock = topo.globalStore().lockName(ROUTING_RULES_LOCK, "ApplyRoutingRules",
                topo.options().lockTimeout());
        try {
            lock.check();
            topo.saveRoutingRules(rules);
        } finally {
            lock.unlock();
        }
        if (!req.getSkipRebuild()) {
            topo.rebuildSrvVSchema(cells);
        }
    }
}
