package io.vnettracer.lab;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where the lab's bridge lives: {@code own} (default) puts it in the namespace {@code <lab>-sw},
 * so the lab never touches the host's network; {@code root} puts bridge and ports in the host's
 * namespace (for probes that must see them there).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SwitchSpec(String namespace) {
    public static final String OWN = "own";
    public static final String ROOT = "root";

    public boolean inRootNamespace() {
        return ROOT.equals(namespace);
    }
}
