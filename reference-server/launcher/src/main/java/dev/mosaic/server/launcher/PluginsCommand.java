package dev.mosaic.server.launcher;

import dev.mosaic.spi.PluginFactory;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigKey;
import java.io.PrintWriter;
import java.net.URL;
import java.security.CodeSource;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mosaic plugins}: every provider on the classpath, by SPI, with its declared config. */
@Command(name = "plugins", description = "List every plugin found on the classpath, by SPI, with its configuration keys.")
final class PluginsCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--spi", paramLabel = "KIND",
            description = "Only this SPI: topo, vindex, durability, backup_engine, backup_storage, throttler_metric.")
    private String spi;

    @Override
    public void run() {
        List<PluginKind<?>> kinds = PluginKind.all();
        if (spi != null) {
            kinds = List.of(PluginKind.byName(spi).orElseThrow(() -> new CommandLine.ParameterException(
                    spec.commandLine(), "unknown SPI '" + spi + "'; valid: "
                            + String.join(", ", PluginKind.all().stream().map(PluginKind::name).toList()))));
        }
        Plugins plugins = Plugins.load(PluginsCommand.class.getClassLoader());
        PrintWriter out = spec.commandLine().getOut();
        int total = 0;
        for (PluginKind<?> kind : kinds) {
            List<? extends PluginFactory<?>> factories = plugins.factories(kind);
            out.println(kind.name() + " (" + factories.size() + ")");
            for (PluginFactory<?> f : factories) {
                total++;
                out.println("  " + f.type() + "  " + f.description());
                out.println("      class " + f.getClass().getName() + " (SPI " + f.spiVersion() + ", " + origin(f) + ")");
                for (ConfigKey k : f.configSpec().keys()) {
                    String req = k.required() ? "required" : k.defaultValue().map(d -> "default '" + d + "'").orElse("optional");
                    out.println("      " + k.name() + " (" + k.type().name().toLowerCase() + ", " + req + "): " + k.description());
                }
            }
        }
        out.println(total + " plugin(s)");
    }

    private static String origin(Object o) {
        CodeSource cs = o.getClass().getProtectionDomain().getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        if (url == null) {
            return "built in";
        }
        String path = url.getPath();
        return path.substring(path.lastIndexOf('/', path.length() - 2) + 1);
    }
}
