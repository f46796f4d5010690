package io.github.decrappify.fiji;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.app.event.StatusEvent;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.log.LogService;

/**
 * A minimal SciJava context that runs commands headless as Fiji would (with pre- and postprocessing)
 * and records what they said: status lines (published asynchronously) and log messages.
 */
final class CommandHarness implements AutoCloseable {

    final Context context;
    final List<String> status = new CopyOnWriteArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();

    CommandHarness() {
        System.setProperty("java.awt.headless", "true");
        context = new Context(CommandService.class, StatusService.class, LogService.class, EventService.class);
        context.service(EventService.class).subscribe(this);
        context.service(LogService.class).addLogListener(m -> {
            log.add(m.text());
            if (m.level() == LogService.ERROR) {
                errors.add(m.text());
            }
        });
    }

    @EventHandler
    void onStatus(StatusEvent e) {
        if (e.getStatusMessage() != null) {
            status.add(e.getStatusMessage());
        }
    }

    CommandModule run(Class<? extends Command> command, Map<String, Object> inputs) throws Exception {
        return context.service(CommandService.class).run(command, true, inputs).get(10, TimeUnit.MINUTES);
    }

    /** Waits (up to 5 s) for a status line containing {@code text}: status events arrive asynchronously. */
    boolean sawStatus(String text) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (status.stream().anyMatch(s -> s.contains(text))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        context.dispose();
    }
}
