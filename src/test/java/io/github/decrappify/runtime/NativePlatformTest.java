package io.github.decrappify.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Which natives each platform gets, from the os.name / os.arch values its JVMs report. */
class NativePlatformTest {

    @Test
    void eachPublishedPlatformIsChosenFromItsJvmsProperties() throws Exception {
        assertEquals(NativePlatform.LINUX_X86_64, NativePlatform.of("Linux", "amd64"));
        assertEquals(NativePlatform.WINDOWS_X86_64, NativePlatform.of("Windows 11", "amd64"));
        assertEquals(NativePlatform.WINDOWS_X86_64, NativePlatform.of("Windows Server 2022", "amd64"));
        assertEquals(NativePlatform.MACOS_ARM64, NativePlatform.of("Mac OS X", "aarch64"));
        assertEquals(NativePlatform.MACOS_X86_64, NativePlatform.of("Mac OS X", "x86_64"));
        assertEquals("org/tensorflow/internal/c_api/windows-x86_64/", NativePlatform.WINDOWS_X86_64.resourceDir());
        assertEquals("jnitensorflow.dll", NativePlatform.WINDOWS_X86_64.jni());
        assertEquals("libjnitensorflow.dylib", NativePlatform.MACOS_ARM64.jni());
        assertEquals("macos-arm64", NativePlatform.MACOS_ARM64.fiji());
        assertEquals("macos64", NativePlatform.MACOS_X86_64.fiji());
        assertEquals("win64", NativePlatform.WINDOWS_X86_64.fiji());
        assertEquals("linux64", NativePlatform.LINUX_X86_64.fiji());
    }

    @Test
    void unpublishedPlatformsAreOneLineNamingWhatRuns() {
        RuntimeUnavailableException e = assertThrows(RuntimeUnavailableException.class, () -> NativePlatform.of("Linux", "aarch64"));
        assertEquals("TensorFlow 2.16.1 has no published natives for Linux/aarch64; Decrappify runs on linux-x86_64,"
                + " windows-x86_64, macosx-arm64, macosx-x86_64 (or set TENSORFLOW_LIBRARY_PATH to a folder with a"
                + " TensorFlow 2.16.1 build for this machine)", e.getMessage());
        assertThrows(RuntimeUnavailableException.class, () -> NativePlatform.of("Windows 11", "aarch64"));
        assertThrows(RuntimeUnavailableException.class, () -> NativePlatform.of("FreeBSD", "amd64"));
    }
}
