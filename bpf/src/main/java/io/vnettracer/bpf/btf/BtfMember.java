package io.vnettracer.bpf.btf;

/**
 * A member of a struct or union. In {@link BtfType.Composite#members()} the offset is from the
 * start of the declaring type; from a {@link Btf#member} look-up it is from the start of the
 * outermost type looked in, and the name is the path asked for (e.g. {@code "a.b"}).
 *
 * @param bitfieldSize the width in bits of a bitfield, 0 for an ordinary member
 */
public record BtfMember(String name, int typeId, long bitOffset, int bitfieldSize) {

    /** The byte holding the member's first bit. */
    public long byteOffset() {
        return bitOffset >>> 3;
    }

    public boolean isBitfield() {
        return bitfieldSize != 0;
    }

    /** Whether this member has no name: an anonymous struct or union whose members belong to the parent. */
    public boolean isAnonymous() {
        return name.isEmpty();
    }
}
