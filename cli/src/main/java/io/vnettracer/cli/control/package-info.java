/**
 * Live reconfiguration of a running trace from another terminal: the trace listens on
 * {@code /run/vnettracer/<pid>.sock} ({@link io.vnettracer.cli.control.RunDirectory}), and
 * {@code vnettracer ctl} sends one JSON request per line and gets one JSON reply per line
 * ({@link io.vnettracer.cli.control.ControlProtocol}). Anyone who can open the socket can attach
 * probes: the directory is root's alone.
 */
package io.vnettracer.cli.control;
