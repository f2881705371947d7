/**
 * The {@code mosaic-tck} runner: loads plugin jars, finds their providers, and runs every
 * applicable contract against each through the JUnit Platform Launcher.
 *
 * <p>{@link dev.mosaic.tck.runner.TckMain} is the command line; {@link dev.mosaic.tck.runner.ContractRunner}
 * runs the contracts for one provider programmatically; {@link dev.mosaic.tck.runner.ContractCatalog}
 * says which contracts apply to which {@link dev.mosaic.spi.PluginKind}.
 */
package dev.mosaic.tck.runner;
