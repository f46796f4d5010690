package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI distribution {@code mvn package} writes ({@code target/decrappify-<version>.zip}), unpacked as on a
 * cluster node: {@code bin/decrappify restore} with a bundled model works with a PATH that holds java and
 * the few tools the launcher uses, and no Maven, away from the sources. Runs after {@code package}.
 */
class DistributionIT {

    @TempDir
    Path dir;

    @Test
    void theUnpackedZipRestoresTheSampleWithoutMavenOrSources() throws Exception {
        Path zip;
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            zip = s.filter(p -> p.getFileName().toString().matches("decrappify-.*\\.zip")).findFirst()
                    .orElseThrow(() -> new AssertionError("mvn package writes target/decrappify-<version>.zip"));
        }
        Path root = unzip(zip, dir.resolve("node"));
        assertTrue(Files.isExecutable(root.resolve("bin/decrappify")));
        assertTrue(Files.isExecutable(root.resolve("bin/slurm-restore.sh")), "the cluster's job-array script");
        assertTrue(Files.isRegularFile(root.resolve("models/em-x4-unet-s/rdf.yaml")));
        assertFalse(Files.exists(root.resolve("pom.xml")) || Files.exists(root.resolve("src")), "no sources");
        // A PATH with java and the launcher's tools only: no mvn.
        Path bin = Files.createDirectories(dir.resolve("path"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        for (String tool : List.of("bash", "env", "dirname", "awk")) {
            Path found = Stream.of("/usr/bin", "/bin").map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst()
                    .orElseThrow();
            Files.createSymbolicLink(bin.resolve(tool), found);
        }
        ImagePlus sample = IJ.openImage(Path.of("test-data/em_lr_stack2_s00.tif").toAbsolutePath().toString());
        sample.setRoi(0, 0, 64, 64);
        Path lr = dir.resolve("lr.tif");
        IJ.saveAsTiff(sample.crop(), lr.toString());
        Path out = dir.resolve("out/restored.tif");
        ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/decrappify").toString(), "restore", "-m", "em-x4-unet-s",
                "-i", lr.toString(), "-o", out.toString(), "--device", "cpu").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("cli.log").toFile());
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("HOME", System.getProperty("user.home"));
        pb.environment().put("DECRAPPIFY_MODELS", dir.resolve("user-models").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "restore did not finish in 5 minutes");
        String log = Files.readString(dir.resolve("cli.log"));
        assertEquals(0, p.exitValue(), log);
        ImagePlus restored = IJ.openImage(out.toString());
        assertEquals(256, restored.getWidth(), log);
        assertTrue(restored.getInfoProperty().contains("em-x4-unet-s"), restored.getInfoProperty());
    }

    static Path unzip(Path zip, Path target) throws IOException {
        Path top = null;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path to = target.resolve(e.getName()).normalize();
                assertTrue(to.startsWith(target), e.getName());
                if (top == null) {
                    top = target.resolve(Path.of(e.getName()).getName(0));
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(in, to);
                }
            }
        }
        // java.util.zip drops Unix modes; the assembly marks bin/ executable (0755), as unzip restores it.
        try (Stream<Path> s = Files.list(top.resolve("bin"))) {
            for (Path f : s.toList()) {
                Files.setPosixFilePermissions(f, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
            }
        }
        return top;
    }

}
