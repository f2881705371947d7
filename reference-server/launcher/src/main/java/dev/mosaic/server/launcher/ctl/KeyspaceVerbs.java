package dev.mosaic.server.launcher.ctl;

import dev.mosaic.proto.topo.KeyspaceType;
import dev.mosaic.proto.vtctldata.CreateKeyspaceRequest;
import dev.mosaic.proto.vtctldata.CreateKeyspaceResponse;
import dev.mosaic.proto.vtctldata.DeleteKeyspaceRequest;
import dev.mosaic.proto.vtctldata.GetKeyspaceRequest;
import dev.mosaic.proto.vtctldata.GetKeyspaceResponse;
import dev.mosaic.proto.vtctldata.GetKeyspacesRequest;
import dev.mosaic.proto.vtctldata.GetKeyspacesResponse;
import dev.mosaic.proto.vtctldata.VtctldGrpc.VtctldBlockingStub;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The keyspace verbs. */
final class KeyspaceVerbs {
    private KeyspaceVerbs() {
    }

    @Command(name = "CreateKeyspace", description = {"Create a keyspace record in the topology.",
        "Prints the created record as JSON."})
    static final class CreateKeyspace extends Verb {
        @Option(names = {"-f", "--force"}, description = "Succeed (changing nothing) when the keyspace already exists.")
        boolean force;

        @Option(names = {"-e", "--allow-empty-vschema"},
                description = "Leave the keyspace without a vschema (otherwise an empty one is stored).")
        boolean allowEmptyVSchema;

        @Option(names = "--type", paramLabel = "NORMAL|SNAPSHOT", defaultValue = "NORMAL",
                description = "The keyspace type (default: ${DEFAULT-VALUE}).")
        String type;

        @Option(names = "--base-keyspace", paramLabel = "KEYSPACE",
                description = "For a SNAPSHOT keyspace: the keyspace it is a snapshot of.")
        String baseKeyspace = "";

        @Option(names = "--durability-policy", paramLabel = "POLICY", defaultValue = "none",
                description = "The durability policy (a durability plugin's type name) that decides semi-sync"
                        + " acks and reparent candidates; 'none' needs no plugin (default: ${DEFAULT-VALUE}).")
        String durabilityPolicy;

        @Option(names = "--sidecar-db-name", paramLabel = "NAME", defaultValue = "_vt",
                description = "The database on each mysqld holding Mosaic's own tables (default: ${DEFAULT-VALUE}).")
        String sidecarDbName;

        @Parameters(index = "0", paramLabel = "KEYSPACE", description = "The keyspace to create.")
        String name;

        private KeyspaceType keyspaceType;

        @Override
        void validate() {
            try {
                keyspaceType = KeyspaceType.valueOf(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw usage("--type must be NORMAL or SNAPSHOT, got '" + type + "'");
            }
            if (keyspaceType == KeyspaceType.UNRECOGNIZED) {
                throw usage("--type must be NORMAL or SNAPSHOT, got '" + type + "'");
            }
            if (keyspaceType == KeyspaceType.SNAPSHOT && baseKeyspace.isEmpty()) {
                throw usage("--type SNAPSHOT needs --base-keyspace");
            }
            if (keyspaceType == KeyspaceType.NORMAL && !baseKeyspace.isEmpty()) {
                throw usage("--base-keyspace is only for --type SNAPSHOT");
            }
        }

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            CreateKeyspaceResponse r = ctld.createKeyspace(CreateKeyspaceRequest.newBuilder()
                    .setName(name).setForce(force).setAllowEmptyVSchema(allowEmptyVSchema).setType(keyspaceType)
                    .setBaseKeyspace(baseKeyspace).setDurabilityPolicy(durabilityPolicy)
                    .setSidecarDbName(sidecarDbName).build());
            if (json()) {
                out.println(Output.json(r));
            } else {
                out.println("Successfully created keyspace " + r.getKeyspace().getName() + ". Result:");
                out.println(Output.json(r.getKeyspace()));
            }
            return 0;
        }
    }

    @Command(name = "DeleteKeyspace", description = {"Delete a keyspace record (and its vschema).",
        "A keyspace with shards is refused unless --recursive."})
    static final class DeleteKeyspace extends Verb {
        @Option(names = {"-r", "--recursive"}, description = "Also delete every shard of the keyspace and their tablet records.")
        boolean recursive;

        @Option(names = {"-f", "--force"}, description = "Go on when the keyspace lock cannot be taken.")
        boolean force;

        @Parameters(index = "0", paramLabel = "KEYSPACE", description = "The keyspace to delete.")
        String name;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            var r = ctld.deleteKeyspace(DeleteKeyspaceRequest.newBuilder().setKeyspace(name).setRecursive(recursive)
                    .setForce(force).build());
            out.println(json() ? Output.json(r) : "Successfully deleted keyspace " + name + ".");
            return 0;
        }
    }

    @Command(name = "GetKeyspace", description = "Print a keyspace record as JSON.")
    static final class GetKeyspace extends Verb {
        @Parameters(index = "0", paramLabel = "KEYSPACE", description = "The keyspace.")
        String name;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            GetKeyspaceResponse r = ctld.getKeyspace(GetKeyspaceRequest.newBuilder().setKeyspace(name).build());
            out.println(json() ? Output.json(r) : Output.json(r.getKeyspace()));
            return 0;
        }
    }

    @Command(name = "GetKeyspaces", description = "Print every keyspace record as a JSON array.")
    static final class GetKeyspaces extends Verb {
        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            GetKeyspacesResponse r = ctld.getKeyspaces(GetKeyspacesRequest.getDefaultInstance());
            out.println(json() ? Output.json(r) : Output.jsonArray(r.getKeyspacesList()));
            return 0;
        }
    }
}
