/**
 * Netlink messaging: a socket that sends one request at a time and reads its acknowledgement,
 * replies or dump, a builder that lays messages out in off-heap memory, and readers for replies and
 * their attributes. Layouts and constants are named as in include/uapi/linux/netlink.h and
 * rtnetlink.h. Knows nothing of what the messages mean (traffic control lives in link.tc).
 *
 * <p>A socket belongs to the network namespace of the thread that opened it, for its whole life.
 * Not for monitoring multicast groups or for high message rates: each request waits for its answer.
 * A received message view is valid only inside the callback it is passed to.
 */
package io.vnettracer.bpf.netlink;
