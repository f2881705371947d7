package dev.mosaic.server.backup.engine;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The builtin engine's table of contents, stored as the backup file {@value #NAME}: one line per
 * data file, {@code <stored name> TAB <raw size> TAB <crc32c of the raw bytes, hex> TAB <path relative
 * to the datadir>}. Written after every data file, so a backup with a file list has all its files.
 */
record FileList(List<Entry> entries) {
    static final String NAME = "FILELIST";

    /**
     * One data file.
     *
     * @param stored the backup file holding it (gzip)
     * @param size   its uncompressed size
     * @param crc32c the CRC-32C of its uncompressed bytes
     * @param path   its path under the datadir, '/'-separated
     */
    record Entry(String stored, long size, long crc32c, String path) {
    }

    FileList {
        entries = List.copyOf(entries);
    }

    byte[] encode() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(e.stored()).append('\t').append(e.size()).append('\t').append(Long.toHexString(e.crc32c()))
                    .append('\t').append(e.path()).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static FileList decode(byte[] bytes) {
        List<Entry> out = new ArrayList<>();
        int n = 0;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", 4);
            try {
                if (f.length != 4) {
                    throw new IllegalArgumentException("expected 4 fields");
                }
                String path = f[3];
                if (path.startsWith("/") || path.equals("..") || path.startsWith("../") || path.contains("/../")
                        || path.endsWith("/..")) {
                    throw new IllegalArgumentException("path escapes the datadir");
                }
                out.add(new Entry(f[0], Long.parseLong(f[1]), Long.parseUnsignedLong(f[2], 16), path));
            } catch (IllegalArgumentException e) {
                throw new MosaicException(ErrorCode.DATA_LOSS, NAME + " line " + n + " is malformed (" + e.getMessage() + "): " + line);
            }
        }
        return new FileList(out);
    }
}
