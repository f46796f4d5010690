package io.github.decrappify.fiji.ij1;

import ij.IJ;
import ij.ImagePlus;
import java.util.List;
import java.util.Map;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/**
 * What a Fiji script or PyImageJ does, in a JVM whose class path is a Fiji's {@code jars/} and
 * {@code plugins/} only (see {@link FijiLayoutIT}): a full SciJava context, the Decrappify commands it
 * knows, and Restore run through {@code CommandService} on an {@code ImagePlus}. Uses ImageJ and SciJava
 * types only. {@code java ... FijiContextMain INPUT OUTPUT MODEL}.
 */
public final class FijiContextMain {

    private FijiContextMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Context context = new Context();
        CommandService commands = context.service(CommandService.class);
        List<String> names = commands.getCommands().stream().map(CommandInfo::getClassName)
                .filter(n -> n.startsWith("io.github.decrappify.")).sorted().toList();
        System.out.println("COMMANDS " + String.join(",", names));
        ImagePlus image = IJ.openImage(args[0]);
        CommandModule module = commands.run("io.github.decrappify.fiji.RestoreCommand", true,
                Map.of("image", image, "model", args[2], "device", "cpu")).get();
        if (module.isCanceled()) {
            System.out.println("CANCELED " + module.getCancelReason());
            System.exit(1);
        }
        ImagePlus restored = (ImagePlus) module.getOutput("restored");
        System.out.println("RESTORED " + restored.getTitle());
        IJ.saveAsTiff(restored, args[1]);
        System.exit(0);
    }
}
