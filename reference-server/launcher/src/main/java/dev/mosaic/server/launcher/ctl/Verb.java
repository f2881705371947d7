package dev.mosaic.server.launcher.ctl;

import dev.mosaic.proto.vtctldata.VtctldGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * One verb of {@code mosaic ctl}: checks its arguments (a problem is a usage error, exit 2),
 * connects to ctld, runs the call under {@code --action-timeout} and prints the answer (exit 0),
 * or prints ctld's error on stderr (exit 1).
 */
@Command(sortOptions = false, usageHelpAutoWidth = true)
abstract class Verb implements Callable<Integer> {
    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @ParentCommand
    CtlCommand ctl;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Checks the arguments beyond what picocli checks; throw {@link #usage} for a bad one. */
    void validate() {
    }

    /** Runs the verb; a failed call throws {@link StatusRuntimeException}. Returns the exit code. */
    abstract int run(VtctldGrpc.VtctldBlockingStub ctld, PrintWriter out);

    /** A usage error (exit 2) with {@code message}. */
    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Whether {@code --json} was given. */
    boolean json() {
        return ctl.json;
    }

    @Override
    public final Integer call() {
        validate();
        Address address = Address.parse(ctl.server, this);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ManagedChannel channel = NettyChannelBuilder.forAddress(address.host(), address.port()).usePlaintext().build();
        try {
            VtctldGrpc.VtctldBlockingStub stub = VtctldGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(ctl.actionTimeout.toMillis(), TimeUnit.MILLISECONDS);
            int code = run(stub, out);
            out.flush();
            return code;
        } catch (StatusRuntimeException e) {
            out.flush();
            err.println("error: " + describe(e.getStatus(), address));
            err.flush();
            return 1;
        } finally {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String describe(Status s, Address address) {
        String detail = s.getDescription() == null ? "" : s.getDescription();
        return switch (s.getCode()) {
            case UNAVAILABLE -> "cannot reach ctld at " + address + " (--server): " + detail
                    + (s.getCause() == null ? "" : " (" + s.getCause().getMessage() + ")");
            case DEADLINE_EXCEEDED -> "ctld did not finish " + spec.name() + " within " + ctl.actionTimeout.toString()
                    .substring(2).toLowerCase(java.util.Locale.ROOT) + " (--action-timeout): " + detail;
            case UNIMPLEMENTED -> "ctld at " + address + " does not implement " + spec.name() + ": " + detail;
            default -> s.getCode() + ": " + detail;
        };
    }

    /** ctld's address. */
    record Address(String host, int port) {
        static Address parse(String text, Verb verb) {
            URI u;
            try {
                u = new URI("grpc://" + text);
            } catch (URISyntaxException e) {
                throw verb.usage("--server '" + text + "' is not HOST:PORT");
            }
            if (u.getHost() == null || u.getPort() < 1 || u.getPath() != null && !u.getPath().isEmpty()
                    || u.getUserInfo() != null) {
                throw verb.usage("--server '" + text + "' is not HOST:PORT (e.g. localhost:15999)");
            }
            String host = u.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new Address(host, u.getPort());
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
