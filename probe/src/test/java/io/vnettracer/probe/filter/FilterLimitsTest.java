package io.vnettracer.probe.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.probe.packet.PacketContext;
import io.vnettracer.probe.testing.FilterProgram;
import io.vnettracer.probe.testing.Packets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Filters too long, too big or too deep are refused by a limit that names itself, never by the
 * stack; what the limits let through parses, checks, compiles, prints and loads.
 */
class FilterLimitsTest {
    private static FilterException refused(String expression) {
        return assertThrows(FilterException.class, () -> Filter.parse(expression));
    }

    /** {@code n} primitives joined by {@code or}. */
    private static String orChain(int n, String primitive) {
        return IntStream.range(0, n).mapToObj(i -> primitive).collect(Collectors.joining(" or "));
    }

    @Test
    void aFiveThousandTermOrIsRefusedAtThePrimitiveLimit() {
        FilterException e = refused(orChain(5_000, "ip"));
        assertEquals(FilterException.Pass.LIMIT, e.pass());
        assertEquals("filter error at column " + (1 + 6 * FilterLimits.MAX_PRIMITIVES) + ": more than 1000 primitives"
                + " (host, net, port, tcp, ...; 'tcp port 80' is two), the limit; cover more addresses with 'net' prefixes"
                + " and more ports with 'portrange'", e.getMessage());
    }

    @Test
    void aProtocolBeforeAQualifiedPrimitiveCountsAsTwo() {
        FilterException e = refused(orChain(501, "tcp port 80"));
        assertEquals(FilterException.Pass.LIMIT, e.pass());
        assertTrue(e.getMessage().contains("more than 1000 primitives"), e.getMessage());
        FilterException underThePrimitiveLimit = refused(orChain(500, "tcp port 80"));
        assertTrue(underThePrimitiveLimit.getMessage().contains("eBPF instructions"), underThePrimitiveLimit.getMessage());
    }

    @Test
    void twentyThousandNotsAreRefusedAtTheNestingLimit() {
        FilterException e = refused("!".repeat(20_000) + "tcp");
        assertEquals(FilterException.Pass.LIMIT, e.pass());
        assertEquals(FilterLimits.MAX_NESTING + 1, e.column());
        assertTrue(e.getMessage().contains("'(' and 'not' are nested more than 100 levels deep, the limit"), e.getMessage());
        FilterException words = refused("not ".repeat(16_000) + "tcp");
        assertEquals(4 * FilterLimits.MAX_NESTING + 1, words.column());
    }

    @Test
    void aChainThatSwitchesBetweenAndAndOrTooOftenIsRefusedAtTheDepthLimit() {
        StringBuilder b = new StringBuilder("port 0");
        for (int i = 1; i < 200; i++) {
            b.append(i % 2 == 0 ? " and " : " or ").append("port ").append(i);
        }
        FilterException e = refused(b.toString());
        assertEquals(FilterException.Pass.LIMIT, e.pass());
        assertTrue(e.getMessage().contains("the expression is more than 100 levels deep, the limit: each '(' and 'not' is a"
                + " level, so is each change between 'and' and 'or'"), e.getMessage());
    }

    @Test
    void aLongChainOfOneOperatorIsShallow() {
        Filter f = Filter.parse(orChain(FilterLimits.MAX_PRIMITIVES, "ip"));
        int depth = 0;
        for (Expr e = f.expression(); e instanceof Expr.Or or; e = or.left()) {
            depth++;
        }
        assertEquals(10, depth, "1000 operands: a balanced tree of log2(1000) levels");
        assertEquals(orChain(FilterLimits.MAX_PRIMITIVES, "ip"), f.describe());
    }

    @Test
    void deepParenthesesAreRefusedAtTheNestingLimit() {
        FilterException e = refused("(".repeat(5_000) + "tcp" + ")".repeat(5_000));
        assertEquals(FilterException.Pass.LIMIT, e.pass());
        assertEquals(FilterLimits.MAX_NESTING + 1, e.column());
        FilterException bang = refused("!".repeat(20_000) + "udp");
        assertEquals(FilterLimits.MAX_NESTING + 1, bang.column());
        Filter.parse("(".repeat(FilterLimits.MAX_NESTING) + "tcp" + ")".repeat(FilterLimits.MAX_NESTING));
    }

    @Test
    void anExpressionLongerThanTheLimitIsRefusedBeforeItIsRead() {
        String tooLong = "tcp" + " ".repeat(FilterLimits.MAX_LENGTH);
        FilterException e = refused(tooLong);
        assertEquals(FilterException.Pass.LIMIT, e.pass());
        assertEquals("filter error at column 65537: the expression is 65539 characters long, over the limit of 65536;"
                + " cover more addresses with 'net' prefixes and more ports with 'portrange'", e.getMessage());
    }

    @Test
    void aFilterThatCompilesToTooManyInstructionsSaysSo() {
        // An IPv6 host tested as source or destination is about 60 instructions: 900 of them are far over.
        String hosts = IntStream.range(0, 900).mapToObj(i -> "host 2001:db8::" + Integer.toHexString(i + 1))
                .collect(Collectors.joining(" or "));
        FilterException e = refused(hosts);
        assertEquals(FilterException.Pass.LIMIT, e.pass());
        assertTrue(e.getMessage().matches("filter error at column 1: the filter compiles to \\d+ eBPF instructions, over the"
                + " limit of 16384 for one filter; .*"), e.getMessage());
    }

    @Test
    void theRenderOfALongExpressionShowsTheNeighbourhoodOfTheColumn() {
        FilterException e = refused("not ".repeat(16_000) + "tcp");
        String[] lines = e.render().split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[1].startsWith("  ...") && lines[1].endsWith("..."), lines[1]);
        assertTrue(lines[1].length() < 140, lines[1]);
        int caret = lines[2].indexOf('^');
        assertEquals("not", lines[1].substring(caret, caret + 3), e.render());
    }

    /**
     * A filter at the limits: 1000 primitives, 25 levels of 'not' around a chain that switches
     * between 'and' and 'or' 60 times, 97 levels deep in all. Every pass, the normalized form
     * (which parses back to the same tree) and the tree's equality run on a thread with a quarter
     * of the usual stack.
     */
    @Test
    void theLargestAcceptedFilterIsHandledOnASmallStack() throws Exception {
        // 'ip proto N' is one of the cheapest primitives to compile: 1000 of them stay under the instruction limit.
        StringBuilder b = new StringBuilder("not (".repeat(25)).append("ip proto 0");
        for (int i = 1; i <= 60; i++) {
            b.append(i % 2 == 0 ? " and " : " or ").append("ip proto ").append(i);
        }
        b.append(")".repeat(25));
        for (int i = 61; i < FilterLimits.MAX_PRIMITIVES; i++) {
            b.append(" or ip proto ").append(i);
        }
        String source = b.toString();
        CompletableFuture<String> done = new CompletableFuture<>();
        Thread.ofPlatform().stackSize(256 * 1024).start(() -> {
            try {
                Filter f = Filter.parse(source);
                Assembler a = new Assembler();
                f.emit(a, new FilterCompiler(PacketContext.TC, "filter"), "match", "nomatch");
                a.label("match").exit().label("nomatch").exit().assemble();
                assertEquals(f.expression(), Filter.parse(source).expression());
                assertEquals(f.expression().hashCode(), Filter.parse(source).expression().hashCode());
                assertEquals(f.describe(), Filter.parse(f.describe()).describe());
                done.complete(f.describe() + f.expression());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        String described = done.get(30, TimeUnit.SECONDS);
        assertTrue(described.startsWith("not not not"), described.substring(0, 20));
    }

    /** The most IPv6 hosts one filter holds: each loads and compares 8 words, every load checked against the packet's end. */
    private static final int LARGEST_IPV6_HOST_LIST = 252;

    /** The instruction limit is one the kernel's verifier takes: the largest filter under it loads and runs. */
    @Test
    void aFilterJustUnderTheInstructionLimitLoadsAndMatches() {
        Root.assume();
        String hosts = IntStream.range(0, LARGEST_IPV6_HOST_LIST).mapToObj(i -> "host 2001:db8::" + Integer.toHexString(i + 1))
                .collect(Collectors.joining(" or "));
        Filter f = Filter.parse(hosts);
        assertThrows(FilterException.class, () -> Filter.parse(hosts + " or host 2001:db8::ffff"));
        String lastHost = Integer.toHexString(LARGEST_IPV6_HOST_LIST);
        byte[] last = Packets.frame(Packets.ipv6("2001:db8:1::1", "2001:db8::" + lastHost, 17, Packets.udp(1, 2, new byte[8])));
        byte[] none = Packets.frame(Packets.ipv6("2001:db8:1::1", "2001:db8::ffff", 17, Packets.udp(1, 2, new byte[8])));
        long start = System.nanoTime();
        try (Program p = FilterProgram.load(PacketContext.TC, f)) {
            System.out.printf(LARGEST_IPV6_HOST_LIST + " IPv6 hosts: %d instructions, loaded in %d ms%n", p.instructions().size(),
                    (System.nanoTime() - start) / 1_000_000);
            assertEquals(1, p.testRun(last, 1).returnValue());
            assertEquals(0, p.testRun(none, 1).returnValue());
        }
    }
}
