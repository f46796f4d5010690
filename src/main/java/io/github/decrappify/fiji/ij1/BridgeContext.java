package io.github.decrappify.fiji.ij1;

import ij.IJ;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.app.event.StatusEvent;
import org.scijava.command.CommandService;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.log.LogService;
import org.scijava.log.StderrLogService;
import org.scijava.plugin.DefaultPluginFinder;
import org.scijava.plugin.PluginIndex;

/**
 * The SciJava context the commands run in: Fiji's own when ImageJ runs inside Fiji (the legacy layer
 * hands it out through {@code IJ.runPlugIn("org.scijava.Context", "")}), else one small context per
 * JVM, created on first use, whose status lines go to ImageJ's status bar and progress bar.
 */
final class BridgeContext {

    private static Context own;
    /** The event service keeps subscribers weakly: this reference keeps the status forwarding alive. */
    private static StatusToImageJ statusForwarding;

    private BridgeContext() {
    }

    static synchronized Context get() {
        if (insideFiji()) {
            Object fiji = IJ.runPlugIn("org.scijava.Context", "");
            if (fiji instanceof Context context) {
                return context;
            }
        }
        if (own == null) {
            // Services found from this class's loader, not the thread's: in plain ImageJ the SciJava jars
            // are in ImageJ's plug-in class loader, which the calling thread does not know.
            own = new Context(List.of(CommandService.class, StatusService.class, LogService.class, EventService.class),
                    new PluginIndex(new DefaultPluginFinder(BridgeContext.class.getClassLoader())));
            // The log lines reach ImageJ's Log window through CommandPlugIn; not twice on stderr.
            if (own.service(LogService.class) instanceof StderrLogService stderr) {
                PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
                stderr.setPrintStreams(level -> nowhere);
            }
            statusForwarding = new StatusToImageJ();
            own.service(EventService.class).subscribe(statusForwarding);
        }
        return own;
    }

    /** ImageJ inside Fiji: the legacy layer is on the class path. */
    private static boolean insideFiji() {
        try {
            Class.forName("net.imagej.legacy.LegacyService", false, IJ.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Status events → ImageJ's status line and progress bar. */
    static final class StatusToImageJ {
        @EventHandler
        void onStatus(StatusEvent e) {
            if (e.getStatusMessage() != null) {
                IJ.showStatus(e.getStatusMessage());
            }
            if (e.getProgressMaximum() > 0) {
                IJ.showProgress(e.getProgressValue(), e.getProgressMaximum());
            }
        }
    }
}
