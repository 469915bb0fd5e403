package io.vnettracer.probe.filter;

import io.vnettracer.event.PacketKeyLayout;

/**
 * The syntax tree of a filter expression. Leaves that hold a value keep the 1-based column of that
 * value in the expression, so the checker can point at it. {@link #describe()} prints the tree
 * back as an expression in normalized form (keywords spelled out, addresses canonical, explicit
 * parentheses where operators meet), which parses back to the same tree.
 */
public sealed interface Expr {
    /** The expression in normalized form. */
    String describe();

    /** The empty expression: every packet matches. */
    record MatchAll() implements Expr {
        @Override
        public String describe() {
            return "";
        }
    }

    record And(Expr left, Expr right) implements Expr {
        @Override
        public String describe() {
            return Binary.operand(this, left) + " and " + Binary.operand(this, right);
        }
    }

    record Or(Expr left, Expr right) implements Expr {
        @Override
        public String describe() {
            return Binary.operand(this, left) + " or " + Binary.operand(this, right);
        }
    }

    record Not(Expr operand) implements Expr {
        @Override
        public String describe() {
            boolean group = operand instanceof And || operand instanceof Or;
            return "not " + (group ? "(" + operand.describe() + ")" : operand.describe());
        }
    }

    /** {@code ip} or {@code ip6}. */
    record IpFamily(int family) implements Expr {
        @Override
        public String describe() {
            return family == PacketKeyLayout.FAMILY_IPV4 ? "ip" : "ip6";
        }
    }

    /** {@code tcp}, {@code udp}, {@code sctp}, {@code icmp}, {@code igmp}, {@code icmp6}. */
    record Transport(Protocol protocol) implements Expr {
        @Override
        public String describe() {
            return protocol.keyword();
        }
    }

    /** {@code [src|dst] net A/N}; {@code host A} is a network with a full-length prefix. */
    record Net(Direction direction, Address network, int prefixLength, int column) implements Expr {
        public boolean isHost() {
            return prefixLength == network.bitLength();
        }

        @Override
        public String describe() {
            return direction.qualifier() + (isHost() ? "host " + network : "net " + network + "/" + prefixLength);
        }
    }

    /** {@code [src|dst] port P} (low = high) or {@code [src|dst] portrange A-B}; TCP and UDP only. */
    record Port(Direction direction, long low, long high, int column) implements Expr {
        @Override
        public String describe() {
            return direction.qualifier() + (low == high ? "port " + low : "portrange " + low + "-" + high);
        }
    }

    /**
     * {@code VALUE OP VALUE}: {@code len > 100}, {@code tcp[tcpflags] & tcp-syn != 0}. {@code less N}
     * is {@code len <= N}, {@code greater N} is {@code len >= N}. The column is the first value's.
     */
    record Relation(Value left, Comparison comparison, Value right, int column) implements Expr {
        @Override
        public String describe() {
            return left.describe() + " " + comparison.symbol() + " " + right.describe();
        }
    }

    /**
     * {@code ip proto N}, {@code ip6 proto N} or {@code proto N} (either family; {@code family} 0).
     * Over IPv6 the protocol is the next header of the fixed header, or of a fragment header right
     * behind it, as in libpcap.
     */
    record Proto(int family, long number, int column) implements Expr {
        @Override
        public String describe() {
            String qualifier = family == 0 ? "" : family == PacketKeyLayout.FAMILY_IPV4 ? "ip " : "ip6 ";
            return qualifier + "proto " + number;
        }
    }

    /** {@code arp}, {@code rarp}, {@code ether proto N}: the EtherType (a link-layer field). */
    record EtherType(long type, int column) implements Expr {
        @Override
        public String describe() {
            if (type == Header.ARP.etherType()) {
                return "arp";
            }
            return type == Header.RARP.etherType() ? "rarp" : "ether proto " + type;
        }
    }

    /**
     * {@code vlan} or {@code vlan ID}: an 802.1Q, 802.1ad or QinQ tag. As in libpcap, every primitive
     * after it (in the text) reads the packet 4 bytes further on, as a tagged packet's headers are.
     */
    record Vlan(long id, int column) implements Expr {
        public static final long ANY = -1;

        @Override
        public String describe() {
            return id == ANY ? "vlan" : "vlan " + id;
        }
    }

    /** {@code ether [src|dst] host MAC}. */
    record EtherHost(Direction direction, MacAddress address, int column) implements Expr {
        @Override
        public String describe() {
            return "ether " + direction.qualifier() + "host " + address;
        }
    }

    /**
     * Parenthesization for normalized output: and/or are equally binding and left-associative, and
     * each is associative, so only an operand of the other operator is put in parentheses (the
     * parser builds runs of one operator as balanced trees, and reads them back the same way).
     */
    final class Binary {
        private Binary() {}

        static String operand(Expr parent, Expr child) {
            boolean binary = child instanceof And || child instanceof Or;
            boolean sameOperator = child.getClass() == parent.getClass();
            return binary && !sameOperator ? "(" + child.describe() + ")" : child.describe();
        }
    }
}
