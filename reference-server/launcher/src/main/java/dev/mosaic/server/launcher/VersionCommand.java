package dev.mosaic.server.launcher;

import dev.mosaic.spi.SpiVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mosaic version}: the build version, SPI version and Java runtime. */
@Command(name = "version", description = "Print Mosaic's version, its plugin SPI version and the Java runtime.")
final class VersionCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().println(line());
    }

    static String version() {
        Properties p = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "unknown");
    }

    static String line() {
        return "mosaic " + version() + " (plugin SPI " + SpiVersion.CURRENT + ", Java "
                + System.getProperty("java.version") + ")";
    }

    /** Supplies {@code mosaic --version}. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {line()};
        }
    }
}
