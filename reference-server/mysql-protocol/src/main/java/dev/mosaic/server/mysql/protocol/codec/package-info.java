/**
 * Framing of the MySQL client/server protocol: the 4-byte packet header (3-byte little-endian
 * payload length, 1-byte sequence id), reassembly and splitting of payloads at 16 MiB - 1, the
 * per-exchange sequence ids, and the length-encoded primitives every packet is made of.
 *
 * <p>Inbound, {@link dev.mosaic.server.mysql.protocol.codec.PacketDecoder} turns bytes into
 * {@link dev.mosaic.server.mysql.protocol.codec.Packet}s. Outbound, writers build frames with
 * {@link dev.mosaic.server.mysql.protocol.codec.PacketOutput} and
 * {@link dev.mosaic.server.mysql.protocol.codec.PacketEncoder} stamps the sequence ids.
 */
package dev.mosaic.server.mysql.protocol.codec;
