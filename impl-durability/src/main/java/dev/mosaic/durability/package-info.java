/**
 * The built-in durability policies, with Vitess's names and answers: {@code none},
 * {@code semi_sync}, {@code semi_sync_with_rdonly_ack}, {@code cross_cell} and
 * {@code cross_cell_with_rdonly_ack}. Each is a stateless value; the reparent safety predicates
 * built on them live in the server, not here.
 */
package dev.mosaic.durability;
