/**
 * The vschema model: how each keyspace's tables map to shards, in Vitess's JSON format.
 *
 * <p>{@link dev.mosaic.api.vschema.KeyspaceVSchema} mirrors Vitess's {@code vschema.Keyspace}
 * message and reads/writes the JSON that {@code vtctldclient ApplyVSchema}/{@code GetVSchema} use;
 * {@link dev.mosaic.api.vschema.RoutingRules}, {@link dev.mosaic.api.vschema.ShardRoutingRules} and
 * {@link dev.mosaic.api.vschema.KeyspaceRoutingRules} do the same for the three kinds of routing
 * rules. Reading is strict: every unknown field, wrong JSON type or bad enum value is reported with
 * its JSON path, all at once, in a {@link dev.mosaic.api.vschema.VSchemaException}. Validation
 * ({@code validate()}, {@code requireValid()}) is a separate step that returns every problem as a
 * {@link dev.mosaic.api.vschema.VSchemaError}.
 *
 * <h2>Differences from Vitess</h2>
 * <ul>
 *   <li>Stricter validation: vindexes and column vindexes in an unsharded keyspace are errors
 *       (Vitess ignores them); a vindex {@code owner} must be a table of the keyspace; an
 *       {@code auto_increment} needs both column and sequence; a {@code source} is only allowed on a
 *       reference table; all problems are reported, not just the first.</li>
 *   <li>Validation knows vindex types only through {@link dev.mosaic.api.vschema.VindexTypes}, so it
 *       cannot check parameters; the server does that when it builds vindexes from its registry.
 *       Checks that need other keyspaces (that a sequence or a reference source exists, that a
 *       reference table does not point at its own keyspace, that routing targets exist) are the
 *       server's.</li>
 *   <li>Writing omits fields at their default, as {@code vtctldclient GetVSchema --compact} does
 *       (its default output also prints unset fields); maps keep document order, where protojson
 *       sorts map keys.</li>
 * </ul>
 *
 * <h2>Omitted from the model</h2>
 * <ul>
 *   <li>{@code Keyspace.multi_tenant_spec} (multi-tenant MoveTables): accepted only as
 *       {@code null} (as {@code GetVSchema} prints it when unset), otherwise reported as not
 *       supported.</li>
 *   <li>Mirror rules ({@code MirrorRules}) and the roll-up {@code SrvVSchema}; these belong with
 *       the server's topology records.</li>
 *   <li>Enum values given as numbers are accepted for {@code foreign_key_mode} only; column types
 *       must be names of {@link dev.mosaic.api.sql.SqlType} (Vitess's {@code EXPRESSION},
 *       {@code VECTOR} and {@code RAW} are not modelled). {@code size} and {@code scale} must be JSON
 *       numbers (protojson also accepts numeric strings).</li>
 * </ul>
 */
package dev.mosaic.api.vschema;
