/**
 * Reading a server process's YAML config file: flattening it to dotted keys, reading each key
 * with every problem collected (not only the first), the value parsers the processes share, and
 * the {@code topo.*} section both the tablet and the gate have.
 */
package dev.mosaic.server.process.config;
