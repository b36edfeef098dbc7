package org.neuralj.playground;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The shared JSON mapper, reading with nesting and number lengths limited well below Jackson's defaults. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(8).maxNumberLength(40).maxStringLength(Command.MAX_CHARS).build());
    }

    private Json() {
    }
}
