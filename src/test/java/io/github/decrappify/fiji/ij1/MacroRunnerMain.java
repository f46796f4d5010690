package io.github.decrappify.fiji.ij1;

/**
 * Runs one ImageJ macro file with the real ImageJ 1 macro interpreter, headless, as Fiji's
 * {@code --headless -macro FILE ARG} would: {@code java ... MacroRunnerMain FILE [ARG]}.
 *
 * <p>ImageJ's menus (and with them {@code run("...")}) only work headless once ij1-patcher has patched
 * ImageJ's classes, which must happen before any {@code ij.*} class is loaded: hence a JVM of its own
 * (see {@link MacroHarness}) and no ImageJ type in this class. Plugins come from {@code -Dplugins.dir},
 * as in Fiji. Exit code 0 when the macro finished, 1 when it was aborted (a command failed) or threw.
 */
public final class MacroRunnerMain {

    private MacroRunnerMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        net.imagej.patcher.LegacyInjector.preinit();
        boolean ok = (boolean) Class.forName(MacroRunnerMain.class.getPackageName() + ".MacroRun")
                .getMethod("run", String[].class).invoke(null, (Object) args);
        System.exit(ok ? 0 : 1);
    }
}
