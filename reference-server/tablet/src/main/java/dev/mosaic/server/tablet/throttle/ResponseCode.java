package dev.mosaic.server.tablet.throttle;

/** A check's outcome with its HTTP status, as Vitess answers. */
public enum ResponseCode {
    /** The app may write. */
    OK(200),
    /** A checked metric is above its threshold. */
    THRESHOLD_EXCEEDED(429),
    /** A rule denies the app. */
    APP_DENIED(417),
    /** A checked metric is not known to this tablet. */
    UNKNOWN_METRIC(404),
    /** A checked metric has no reading (unreadable, stale, or a replica unreachable). */
    INTERNAL_ERROR(500);

    private final int httpStatus;

    ResponseCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status code the check answers with. */
    public int httpStatus() {
        return httpStatus;
    }
}
