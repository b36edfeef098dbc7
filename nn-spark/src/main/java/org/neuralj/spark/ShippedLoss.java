package org.neuralj.spark;

import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import org.neuralj.core.Loss;

/**
 * A loss sent to the executors: the instance itself when it is {@link Serializable}, otherwise its class, recreated
 * there with its public no-argument constructor. The second form is allowed only for a loss without instance fields
 * (the built-in ones), since a recreated instance would lose any setting they hold.
 */
final class ShippedLoss implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Loss instance;
    private final Class<? extends Loss> type;

    private ShippedLoss(Loss instance, Class<? extends Loss> type) {
        this.instance = instance;
        this.type = type;
    }

    /** @throws IllegalArgumentException naming the loss's class when it can be neither sent nor recreated */
    static ShippedLoss of(Loss loss) {
        if (loss instanceof Serializable) {
            return new ShippedLoss(loss, null);
        }
        Class<? extends Loss> type = loss.getClass();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    throw new IllegalArgumentException("loss " + type.getName() + " has the instance field \""
                            + f.getName() + "\" and is not Serializable: executors cannot get its settings;"
                            + " make it Serializable");
                }
            }
        }
        ShippedLoss shipped = new ShippedLoss(null, type);
        shipped.get(); // fails here, on the driver, when there is no public no-argument constructor
        return shipped;
    }

    /** The loss, recreated if it travelled as its class. */
    Loss get() {
        if (instance != null) {
            return instance;
        }
        try {
            Constructor<? extends Loss> constructor = type.getConstructor();
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("loss " + type.getName() + " is not Serializable and has no public"
                    + " no-argument constructor: executors cannot recreate it", e);
        }
    }
}
