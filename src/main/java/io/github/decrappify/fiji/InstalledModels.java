package io.github.decrappify.fiji;

import io.github.decrappify.model.ModelStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The models the Fiji dialogs offer in their Model choice: the user store's and the bundled ones
 * ({@link FijiModels#store()}) that can be opened, each name once (a user model shadows a bundled one of
 * the same name, as when restoring). The dialog (ImageJ 1 bridge) calls {@link #names()} by name.
 */
public final class InstalledModels {

    private InstalledModels() {
    }

    public static List<String> names() {
        return names(FijiModels.store());
    }

    static List<String> names(ModelStore store) {
        Set<String> names = new LinkedHashSet<>();
        for (ModelStore.Entry e : store.list()) {
            if (e.problem() == null) {
                names.add(e.name());
            }
        }
        return new ArrayList<>(names);
    }
}
