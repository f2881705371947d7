package dev.mosaic.api.cluster;

/** Checks of the names used for keyspaces, shards and cells. */
final class Names {
    private Names() {
    }

    static void requireName(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (name.length() > 64) {
            throw new IllegalArgumentException(what + " '" + name + "' is longer than 64 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '`' || Character.isWhitespace(c) || c < 0x20) {
                throw new IllegalArgumentException(what + " '" + name + "' contains an invalid character '" + c + "'");
            }
        }
    }
}
