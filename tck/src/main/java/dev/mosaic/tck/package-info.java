/**
 * The Mosaic TCK: JUnit 5 contracts that every plugin must keep.
 *
 * <p>A contract is an abstract test class extending {@link dev.mosaic.tck.PluginContract}. Each
 * test method checks one <em>clause</em>, marked with {@link dev.mosaic.tck.Clause} (and a JUnit
 * {@code @Tag} with the same id); the clause's Javadoc is its specification. A failure message
 * always starts with the clause id, so a surefire report says which clause broke.
 *
 * <p>Plugin authors extend a contract in their own tests, supplying the factory:
 * <pre>{@code
 * class HashVindexRegistryTest extends RegistryContract {
 *     protected PluginFactory<?> factory() { return new HashVindexFactory(); }
 * }
 * }</pre>
 * or run the {@code mosaic-tck} command on their jar (see {@link dev.mosaic.tck.runner.TckMain}).
 */
package dev.mosaic.tck;
