/**
 * The durability-policy contract: {@link dev.mosaic.tck.durability.DurabilityContract} checks that
 * a policy answers every question for every tablet type and cell layout, keeps non-serving tablets
 * from promotion, and answers the same way every time.
 */
package dev.mosaic.tck.durability;
