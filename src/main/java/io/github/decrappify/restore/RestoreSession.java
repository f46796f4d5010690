package io.github.decrappify.restore;

import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.qc.DataConsistency;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.Precision;
import io.github.decrappify.runtime.RuntimeUnavailableException;
import java.io.IOException;

/**
 * One restoration as every front end sets it up, in DJL's Criteria → model → predictor order: {@link #resolve}
 * finds the bundle and turns the user's {@link RestoreRequest} into {@link RestoreSettings} (and the QC
 * degradation, when asked) without loading anything, so bad options and unknown models fail in a blink;
 * {@link #load} loads the model once on a device in a precision; {@link #restorer} gives the plane restorer (TIFF
 * files, folders, Fiji's in-memory stacks) and {@link #model()} with {@link #weightsId()} what the OME-Zarr and
 * Spark restorations need. The CLI, Fiji and Spark only translate their options into these calls, so the same
 * words mean the same restoration everywhere.
 *
 * <p>Invariants: the settings' scale and frames are the bundle's (so {@link Restorer}'s model checks cannot fail);
 * {@link #qc()} is non-null exactly when QC was asked; {@link #model()} is non-null exactly on a loaded session,
 * which owns it and closes it with {@link #close()}.
 *
 * <pre>{@code
 * try (RestoreSession s = RestoreSession.resolve(store, "em-x4-unet-s", request, false, false)
 *         .load(Device.AUTO, Precision.AUTO)) {
 *     s.restorer(listener).restoreFile(in, out);
 * }
 * }</pre>
 */
public final class RestoreSession implements AutoCloseable {

    private final ModelBundle bundle;
    private final RestoreSettings settings;
    private final boolean tta;
    private final DataConsistency qc;
    private final BundleModel model;

    private RestoreSession(ModelBundle bundle, RestoreSettings settings, boolean tta, DataConsistency qc,
            BundleModel model) {
        this.bundle = bundle;
        this.settings = settings;
        this.tta = tta;
        this.qc = qc;
        this.model = model;
    }

    /**
     * Resolves {@code model} in {@code store} and the settings {@code request} gives for it; nothing is loaded.
     *
     * @param tta test-time augmentation (8 flips/rotations per plane)
     * @param qc data-consistency QC with the bundle's degradation
     * @throws BundleException for an unknown model (with the available ones) or an invalid bundle
     */
    public static RestoreSession resolve(ModelStore store, String model, RestoreRequest request, boolean tta, boolean qc)
            throws BundleException {
        return of(store.resolve(model), request, tta, qc);
    }

    /** As {@link #resolve} for a bundle already at hand. */
    public static RestoreSession of(ModelBundle bundle, RestoreRequest request, boolean tta, boolean qc) {
        return new RestoreSession(bundle, request.settingsFor(bundle.spec()), tta,
                qc ? DataConsistency.of(bundle.spec()) : null, null);
    }

    /**
     * Loads the model on {@code device} in {@code precision} ({@link BundleModel#load}); the returned session owns it.
     *
     * @throws IllegalArgumentException {@code BF16} on a GPU
     * @throws IllegalStateException if this session is already loaded
     */
    public RestoreSession load(Device device, Precision precision) throws RuntimeUnavailableException, IOException {
        if (model != null) {
            throw new IllegalStateException("the session's model is already loaded");
        }
        return new RestoreSession(bundle, settings, tta, qc, BundleModel.load(bundle, device, precision));
    }

    /**
     * The plane restorer of the loaded model, with this session's checks on.
     *
     * @throws IllegalStateException before {@link #load}
     */
    public Restorer restorer(RestoreListener listener) {
        return new Restorer(model(), settings, listener).optTta(tta).optQc(qc);
    }

    /** What the outputs of this session say about how they were made (the loaded model names its device). */
    public Provenance provenance() {
        return Provenance.of(model(), settings, tta);
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public RestoreSettings settings() {
        return settings;
    }

    public boolean tta() {
        return tta;
    }

    /** The QC degradation, {@code null} when QC was not asked. */
    public DataConsistency qc() {
        return qc;
    }

    /** Identifies the weights in OME-Zarr fingerprints (their sha256): a resumed run must use the same ones. */
    public String weightsId() {
        return bundle.spec().artifacts().weights().sha256();
    }

    /** @throws IllegalStateException before {@link #load} */
    public BundleModel model() {
        if (model == null) {
            throw new IllegalStateException("load the session's model first");
        }
        return model;
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }
}
