package org.neuralj.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigitArtTest {

    @Test
    void brightPixelsGetDenseCharactersTwoPerPixel() {
        float[] diagonal = {1, 0, 0, 0, 0.5f, 0, 0, 0, 1};
        String[] rows = DigitArt.draw(diagonal, 3, 1f).split("\n");

        assertThat(rows).containsExactly("@@    ", "  ++  ", "    @@");
    }

    @Test
    void sideBySidePutsCaptionsOverTheirPictures() {
        String joined = DigitArt.sideBySide(new String[] {"ab\ncd\n", "ef\ngh\n"}, new String[] {"x", "y"}, 2);

        assertThat(joined.split("\n")).containsExactly("x   y", "ab  ef", "cd  gh");
    }
}
