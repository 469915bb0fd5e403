package io.vnettracer.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The proof a lab leaves on what it creates, so that {@code down} removes only its own: network
 * devices (and a namespace, through its {@code lo}) get the alias {@code vnettracer-lab:<lab>:<instance>},
 * processes the environment entry {@code VNETTRACER_LAB=<lab>:<instance>}. Lab names are
 * {@code [a-z][a-z0-9]*}, so the ':' after the name keeps lab {@code x} from claiming what lab
 * {@code xy} made. Only root can set either on objects of other users, so a name that merely starts
 * like a lab's proves nothing, and a marker does.
 *
 * @param lab the lab's name
 * @param instance a random id the lab's first {@code up} chose (kept in the state file)
 */
public record LabMarker(String lab, String instance) {
    static final String ALIAS_PREFIX = "vnettracer-lab:";
    static final String ENVIRONMENT_VARIABLE = "VNETTRACER_LAB";

    /** The alias every device the lab creates carries. */
    String alias() {
        return ALIAS_PREFIX + lab + ":" + instance;
    }

    /** The value of {@link #ENVIRONMENT_VARIABLE} in the lab's processes. */
    String environmentValue() {
        return lab + ":" + instance;
    }

    /** Whether {@code alias} (a device's ifalias; null if none) says lab {@code lab} made the device, in any instance. */
    static boolean isAliasOf(String lab, String alias) {
        return alias != null && alias.startsWith(ALIAS_PREFIX + lab + ":");
    }

    /** Whether live process {@code pid} carries lab {@code lab}'s environment entry; false if it is gone or unreadable. */
    static boolean processCarries(long pid, String lab) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        } catch (IOException gone) {
            return false;
        }
        String wanted = ENVIRONMENT_VARIABLE + "=" + lab + ":";
        for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
            if (entry.startsWith(wanted)) {
                return true;
            }
        }
        return false;
    }
}
