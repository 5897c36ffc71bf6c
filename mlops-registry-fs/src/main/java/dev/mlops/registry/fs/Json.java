package dev.mlops.registry.fs;

import dev.mlops.core.internal.StrictJsonWriter;

/**
 * Writes the registry file, whose writer writes its header itself: pretty-printed, UTF-8, a line break
 * at the end, through core's {@link StrictJsonWriter} as every document of the store. Change files and
 * journal entries are written by their formats' {@code JsonFormat}.
 */
final class Json {
    private Json() {
    }

    static byte[] document(StrictJsonWriter.Body body) {
        return StrictJsonWriter.prettyUtf8(body);
    }
}
