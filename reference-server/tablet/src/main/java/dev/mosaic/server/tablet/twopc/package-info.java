/**
 * Two-phase commit on the tablet, Vitess's design: the participant side (Prepare keeps a
 * transaction open in the {@link dev.mosaic.server.tablet.twopc.PreparedPool} and writes its
 * statements to the redo log; CommitPrepared / RollbackPrepared end it) and the coordinator side
 * (the distributed transaction's record and its participants, whose state is the commit decision),
 * both kept in the sidecar database ({@link dev.mosaic.server.tablet.twopc.TwoPcStore}), run by the
 * {@link dev.mosaic.server.tablet.twopc.DtExecutor}.
 */
package dev.mosaic.server.tablet.twopc;
