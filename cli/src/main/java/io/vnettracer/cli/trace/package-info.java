/**
 * The parts of {@code vnettracer trace}: the script put together from a file and flags, the
 * consumer that joins events on the session's drain thread and publishes summaries, and the
 * tables and live view that print them. The consumer is for the drain thread only; the view
 * reads what it publishes.
 */
package io.vnettracer.cli.trace;
