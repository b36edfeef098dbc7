package org.neuralj.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Finite#all} on whole vectors; loaded only when the incubator module is present. */
final class VectorFinite {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorFinite() {
    }

    /** Whether this class links (the module can be present but unusable); false rather than an error. */
    static boolean loads() {
        try {
            return all(new float[SPECIES.length() + 1], 0, SPECIES.length() + 1);
        } catch (LinkageError e) {
            return false;
        }
    }

    static boolean all(float[] a, int from, int to) {
        FloatVector sum = FloatVector.zero(SPECIES);
        int i = from;
        for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, a, i);
            sum = sum.add(v.sub(v));
        }
        float s = sum.reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            s += a[i] - a[i];
        }
        return s == 0;
    }
}
