package dev.mosaic.server.launcher.ctl;

import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.vtctldata.AddCellInfoRequest;
import dev.mosaic.proto.vtctldata.GetCellInfoNamesRequest;
import dev.mosaic.proto.vtctldata.GetCellInfoNamesResponse;
import dev.mosaic.proto.vtctldata.GetCellInfoRequest;
import dev.mosaic.proto.vtctldata.GetCellInfoResponse;
import dev.mosaic.proto.vtctldata.VtctldGrpc.VtctldBlockingStub;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The cell verbs: where each cell's topology lives. */
final class CellVerbs {
    private CellVerbs() {
    }

    @Command(name = "AddCellInfo", description = {"Register a cell: the topology server and root its tablets are recorded under.",
        "Repeating it with the same values succeeds; other values for an existing cell are refused."})
    static final class AddCellInfo extends Verb {
        @Option(names = {"-r", "--root"}, required = true, paramLabel = "PATH",
                description = "The root path of the cell's records on its topology server, e.g. /vitess/zone1.")
        String root;

        @Option(names = {"-a", "--server-address"}, paramLabel = "ADDRESS", defaultValue = "",
                description = "The cell's topology server (etcd endpoints, ZooKeeper connect string, ...);"
                        + " empty: the global topology server.")
        String serverAddress;

        @Parameters(index = "0", paramLabel = "CELL", description = "The cell's name, e.g. zone1.")
        String cell;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            var r = ctld.addCellInfo(AddCellInfoRequest.newBuilder().setName(cell)
                    .setCellInfo(CellInfo.newBuilder().setRoot(root).setServerAddress(serverAddress)).build());
            out.println(json() ? Output.json(r) : "Created cell: " + cell);
            return 0;
        }
    }

    @Command(name = "GetCellInfo", description = "Print a cell's record (server address and root) as JSON.")
    static final class GetCellInfo extends Verb {
        @Parameters(index = "0", paramLabel = "CELL", description = "The cell.")
        String cell;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            GetCellInfoResponse r = ctld.getCellInfo(GetCellInfoRequest.newBuilder().setCell(cell).build());
            out.println(json() ? Output.json(r) : Output.json(r.getCellInfo()));
            return 0;
        }
    }

    @Command(name = "GetCellInfoNames", description = "Print the name of every cell, one per line.")
    static final class GetCellInfoNames extends Verb {
        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            GetCellInfoNamesResponse r = ctld.getCellInfoNames(GetCellInfoNamesRequest.getDefaultInstance());
            if (json()) {
                out.println(Output.json(r));
            } else {
                r.getNamesList().forEach(out::println);
            }
            return 0;
        }
    }
}
