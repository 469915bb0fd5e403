/**
 * The event record: the fixed little-endian layout that generated probe programs write into the
 * ring buffer and that the session decodes, defined once here ({@link io.vnettracer.event.EventLayout},
 * {@link io.vnettracer.event.PacketKeyLayout}), and a flyweight that reads it in place
 * ({@link io.vnettracer.event.EventView}).
 *
 * <p>No dependencies, no kernel: the probe layer and the journey layer both build on it. An
 * {@code EventView} is a cursor, not a value: not safe for concurrent use, valid until moved.
 */
package io.vnettracer.event;
