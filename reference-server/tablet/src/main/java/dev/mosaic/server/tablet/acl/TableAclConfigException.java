package dev.mosaic.server.tablet.acl;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A table ACL file that is malformed or inconsistent. Its code is {@link
 * ErrorCode#INVALID_ARGUMENT}; it lists every problem found, each with the JSON path of the value at
 * fault ({@code $.table_groups[0].readers[2]}).
 */
public final class TableAclConfigException extends MosaicException {
    private static final long serialVersionUID = 1L;

    /**
     * One problem in the file.
     *
     * @param path the JSON path of the value at fault
     * @param reason what is wrong with it
     */
    public record Problem(String path, String reason) {
        @Override
        public String toString() {
            return path + ": " + reason;
        }
    }

    private final List<Problem> problems;

    /** Problems in the config read from {@code source} (a file name, or a description). */
    public TableAclConfigException(String source, List<Problem> problems) {
        super(ErrorCode.INVALID_ARGUMENT, "invalid table ACL config " + source + ": "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in document order. */
    public List<Problem> problems() {
        return problems;
    }
}
