package dev.mosaic.server.mysql.protocol.auth;

import java.util.Optional;

/** The authentication plugins this server implements. */
public enum AuthMethod {
    /** SHA-1 challenge/response (MySQL 5.x's default; MariaDB's default). */
    MYSQL_NATIVE_PASSWORD("mysql_native_password"),
    /** SHA-256 challenge/response with a server-side cache, and RSA-protected full authentication (MySQL 8's default). */
    CACHING_SHA2_PASSWORD("caching_sha2_password");

    private final String pluginName;

    AuthMethod(String pluginName) {
        this.pluginName = pluginName;
    }

    /** The plugin name on the wire. */
    public String pluginName() {
        return pluginName;
    }

    /** The method named {@code name} on the wire, if this server implements it. */
    public static Optional<AuthMethod> ofPluginName(String name) {
        for (AuthMethod m : values()) {
            if (m.pluginName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
