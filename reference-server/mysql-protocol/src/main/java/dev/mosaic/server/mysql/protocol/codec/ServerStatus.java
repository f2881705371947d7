package dev.mosaic.server.mysql.protocol.codec;

/** Status flags of OK and EOF packets (the {@code SERVER_STATUS_*} constants). */
public final class ServerStatus {
    private ServerStatus() {
    }

    public static final int IN_TRANS = 0x0001;
    public static final int AUTOCOMMIT = 0x0002;
    public static final int MORE_RESULTS_EXISTS = 0x0008;
    public static final int NO_GOOD_INDEX_USED = 0x0010;
    public static final int NO_INDEX_USED = 0x0020;
    public static final int CURSOR_EXISTS = 0x0040;
    public static final int LAST_ROW_SENT = 0x0080;
    public static final int IN_TRANS_READONLY = 0x2000;
}
