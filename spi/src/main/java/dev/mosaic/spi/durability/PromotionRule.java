package dev.mosaic.spi.durability;

/** How eligible a tablet is to be promoted to primary, from most to least (Vitess's promotion rules). */
public enum PromotionRule {
    /** Must be chosen if it is a viable candidate. */
    MUST,
    /** Preferred over neutral candidates. */
    PREFER,
    /** No preference. */
    NEUTRAL,
    /** Only if nothing better is available. */
    PREFER_NOT,
    /** Never promoted. */
    MUST_NOT
}
