package io.vnettracer.session;

import io.vnettracer.bpf.link.Link;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.probe.program.ProbeScope;
import io.vnettracer.probe.program.TagRole;
import io.vnettracer.probe.script.ProbeDefinition;
import java.util.List;

/** A probe of a live session: its definition, where it is scoped, and the kernel objects it holds. */
final class AttachedProbe implements AutoCloseable {
    final int id;
    volatile ProbeDefinition definition;
    volatile String filter;
    final ProbeScope scope;
    final TagRole tagRole;
    /** One program per hook the probe needs, and its link, index for index. */
    volatile List<Program> programs;
    volatile List<Link> links;
    /** A device probe: its slot on its hook's dispatcher, instead of a link. */
    volatile HookSlot slot;
    final long attachNanos;

    AttachedProbe(int id, ProbeDefinition definition, String filter, ProbeScope scope, TagRole tagRole, List<Program> programs,
                  List<Link> links, long attachNanos) {
        this.id = id;
        this.definition = definition;
        this.filter = filter;
        this.scope = scope;
        this.tagRole = tagRole;
        this.programs = programs;
        this.links = links;
        this.attachNanos = attachNanos;
    }

    void detach() {
        links.forEach(Link::close);
        if (slot != null) {
            slot.clear();
        }
    }

    @Override
    public void close() {
        detach();
        programs.forEach(Program::close);
    }
}
