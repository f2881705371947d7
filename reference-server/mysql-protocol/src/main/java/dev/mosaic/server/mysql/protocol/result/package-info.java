/**
 * Encoding of what the server sends back: column definitions, text and binary result rows, and
 * the OK, EOF and ERR packets, each writing one payload into a {@link io.netty.buffer.ByteBuf}
 * (framing is the codec's job).
 */
package dev.mosaic.server.mysql.protocol.result;
