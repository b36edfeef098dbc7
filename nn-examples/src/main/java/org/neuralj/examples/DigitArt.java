package org.neuralj.examples;

/**
 * Draws a small grey-scale image as characters, darker characters for brighter pixels, two characters per pixel
 * so that the picture keeps its proportions in a terminal.
 */
final class DigitArt {
    private static final String SHADES = " .:-=+*#%@";

    private DigitArt() {
    }

    /** {@code pixels} row-major, {@code side x side}, values in {@code [0, max]}. */
    static String draw(float[] pixels, int side, float max) {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                float v = Math.max(0, Math.min(1, pixels[r * side + c] / max));
                char ch = SHADES.charAt(Math.round(v * (SHADES.length() - 1)));
                sb.append(ch).append(ch);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Several drawings side by side, each under its caption. */
    static String sideBySide(String[] drawings, String[] captions, int gap) {
        String[][] lines = new String[drawings.length][];
        int width = 0, height = 0;
        for (int i = 0; i < drawings.length; i++) {
            lines[i] = drawings[i].split("\n");
            height = Math.max(height, lines[i].length);
            for (String l : lines[i]) {
                width = Math.max(width, l.length());
            }
        }
        for (String c : captions) {
            width = Math.max(width, c.length());
        }
        String pad = " ".repeat(gap);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < captions.length; i++) {
            sb.append(String.format("%-" + width + "s", captions[i])).append(pad);
        }
        sb.append('\n');
        for (int row = 0; row < height; row++) {
            for (String[] l : lines) {
                sb.append(String.format("%-" + width + "s", row < l.length ? l[row] : "")).append(pad);
            }
            sb.append('\n');
        }
        return sb.toString().replaceAll(" +\n", "\n");
    }
}
