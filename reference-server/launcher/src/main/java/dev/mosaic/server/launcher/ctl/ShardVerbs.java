package dev.mosaic.server.launcher.ctl;

import com.google.protobuf.Duration;
import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.proto.vtctldata.CreateShardRequest;
import dev.mosaic.proto.vtctldata.CreateShardResponse;
import dev.mosaic.proto.vtctldata.DeleteShardsRequest;
import dev.mosaic.proto.vtctldata.GetShardRequest;
import dev.mosaic.proto.vtctldata.GetShardResponse;
import dev.mosaic.proto.vtctldata.InitShardPrimaryRequest;
import dev.mosaic.proto.vtctldata.InitShardPrimaryResponse;
import dev.mosaic.proto.vtctldata.Shard;
import dev.mosaic.proto.vtctldata.VtctldGrpc.VtctldBlockingStub;
import dev.mosaic.server.launcher.ctl.Converters.KeyspaceShard;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The shard verbs. */
final class ShardVerbs {
    private ShardVerbs() {
    }

    /** A protobuf Duration of {@code d}. */
    static Duration proto(java.time.Duration d) {
        return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    @Command(name = "CreateShard", description = {"Create a shard record; its key range comes from its name"
            + " (0 or - for the whole range, -80, 80-c0, c0-).", "Prints the result as JSON."})
    static final class CreateShard extends Verb {
        @Option(names = {"-f", "--force"}, description = "Succeed (changing nothing) when the shard already exists.")
        boolean force;

        @Option(names = {"-p", "--include-parent"}, description = "Create the keyspace too when it does not exist.")
        boolean includeParent;

        @Parameters(index = "0", paramLabel = "KEYSPACE/SHARD", converter = Converters.Shard.class,
                description = "The shard to create, e.g. customer/-80.")
        KeyspaceShard shard;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            CreateShardResponse r = ctld.createShard(CreateShardRequest.newBuilder().setKeyspace(shard.keyspace())
                    .setShardName(shard.shard()).setForce(force).setIncludeParent(includeParent).build());
            if (!json()) {
                out.println((r.getShardAlreadyExists() ? "Shard " + shard + " already exists"
                        : "Successfully created shard " + shard) + ". Result:");
            }
            out.println(Output.json(r));
            return 0;
        }
    }

    @Command(name = "DeleteShards", description = {"Delete shard records.",
        "A shard with tablets is refused unless --recursive; a serving shard unless --even-if-serving."})
    static final class DeleteShards extends Verb {
        @Option(names = {"-r", "--recursive"}, description = "Also delete the shards' tablet records.")
        boolean recursive;

        @Option(names = "--even-if-serving", description = "Delete a shard even when its serving graph still uses it.")
        boolean evenIfServing;

        @Option(names = {"-f", "--force"}, description = "Go on when a lock cannot be taken or a record is already gone.")
        boolean force;

        @Parameters(arity = "1..*", paramLabel = "KEYSPACE/SHARD", converter = Converters.Shard.class,
                description = "The shards to delete.")
        List<KeyspaceShard> shards = new ArrayList<>();

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            DeleteShardsRequest.Builder req = DeleteShardsRequest.newBuilder().setRecursive(recursive)
                    .setEvenIfServing(evenIfServing).setForce(force);
            for (KeyspaceShard s : shards) {
                req.addShards(Shard.newBuilder().setKeyspace(s.keyspace()).setName(s.shard()));
            }
            var r = ctld.deleteShards(req.build());
            out.println(json() ? Output.json(r) : "Successfully deleted shards "
                    + shards.stream().map(KeyspaceShard::toString).collect(Collectors.joining(", ")) + ".");
            return 0;
        }
    }

    @Command(name = "GetShard", description = "Print a shard record (with its keyspace and name) as JSON.")
    static final class GetShard extends Verb {
        @Parameters(index = "0", paramLabel = "KEYSPACE/SHARD", converter = Converters.Shard.class,
                description = "The shard, e.g. commerce/0.")
        KeyspaceShard shard;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            GetShardResponse r = ctld.getShard(GetShardRequest.newBuilder().setKeyspace(shard.keyspace())
                    .setShardName(shard.shard()).build());
            out.println(json() ? Output.json(r) : Output.json(r.getShard()));
            return 0;
        }
    }

    @Command(name = "InitShardPrimary", description = {"Make a tablet the first primary of a new shard and"
            + " point the shard's other tablets at it.", "Prints what was done, step by step."})
    static final class InitShardPrimary extends Verb {
        @Option(names = "--force", description = "Go on even when the primary-elect is not the shard's current primary.")
        boolean force;

        @Option(names = "--wait-replicas-timeout", paramLabel = "DURATION", converter = Converters.GoDuration.class,
                description = "How long to wait for the replicas to follow the new primary (default: 30s).")
        java.time.Duration waitReplicasTimeout;

        @Parameters(index = "0", paramLabel = "KEYSPACE/SHARD", converter = Converters.Shard.class,
                description = "The shard.")
        KeyspaceShard shard;

        @Parameters(index = "1", paramLabel = "TABLET_ALIAS", converter = Converters.Alias.class,
                description = "The primary-elect, e.g. zone1-100.")
        TabletAlias primaryElect;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            InitShardPrimaryRequest.Builder req = InitShardPrimaryRequest.newBuilder().setKeyspace(shard.keyspace())
                    .setShard(shard.shard()).setPrimaryElectTabletAlias(primaryElect).setForce(force);
            if (waitReplicasTimeout != null) {
                req.setWaitReplicasTimeout(proto(waitReplicasTimeout));
            }
            InitShardPrimaryResponse r = ctld.initShardPrimary(req.build());
            if (json()) {
                out.println(Output.json(r));
            } else {
                r.getEventsList().forEach(out::println);
            }
            return 0;
        }
    }
}
