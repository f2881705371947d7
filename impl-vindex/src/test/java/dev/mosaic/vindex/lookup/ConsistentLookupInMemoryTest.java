package dev.mosaic.vindex.lookup;

import static dev.mosaic.vindex.testing.Vindexes.create;
import static dev.mosaic.vindex.testing.Vindexes.ksid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.LookupVindex;
import dev.mosaic.spi.vindex.OwnerAware;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexCursor.CommitOrder;
import dev.mosaic.vindex.testing.InMemoryCursor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A consistent lookup over an in-memory database that honours commit order, driven the way the
 * gate drives it (lookup write, then the owner write), with crashes between commits. Checks the
 * guarantee: every live owner row is found through the lookup (extra lookup rows are allowed).
 */
class ConsistentLookupInMemoryTest {
    final InMemoryCursor db = new InMemoryCursor()
            .table("name_idx", List.of("name", "ksid"), List.of(List.of("name")))
            .table("ks.user", List.of("id", "name", "ksid"), List.of(List.of("id")));
    final SingleColumnVindex vindex = (SingleColumnVindex) create(new LookupFactoryBase.ConsistentLookupUniqueFactory(),
            "name_idx", Map.of("table", "name_idx", "from", "name", "to", "ksid"));
    final LookupVindex lookup = (LookupVindex) vindex;

    ConsistentLookupInMemoryTest() {
        ((OwnerAware) vindex).setOwnerInfo("ks", "user", List.of("name"));
    }

    void insertUser(long id, String name, KeyspaceId k) {
        lookup.create(db, List.of(List.of(Value.of(name))), List.of(k), false);
        db.insert("ks.user", List.of("id", "name", "ksid"), List.of(List.of(Value.of(id), Value.of(name), Value.of(k.bytes()))),
                VindexCursor.OnDuplicate.FAIL, CommitOrder.NORMAL);
    }

    void deleteUser(long id, String name, KeyspaceId k) {
        lookup.delete(db, List.of(List.of(Value.of(name))), k);
        db.delete("ks.user", List.of("id"), List.of(Value.of(id)), CommitOrder.NORMAL);
    }

    Destination map(String name) {
        return vindex.map(db, List.of(Value.of(name))).get(0);
    }

    void assertEveryLiveOwnerIsFound() {
        for (List<Value> user : db.committedRows("ks.user")) {
            KeyspaceId k = KeyspaceId.of(user.get(2).toBytes());
            assertEquals(new Destination.One(k), map(((Value.Text) user.get(1)).asString()), "owner " + user);
        }
    }

    @Test
    void insertThenMap() {
        insertUser(1, "alice", ksid("k1"));
        db.commit();
        assertEquals(new Destination.One(ksid("k1")), map("alice"));
        assertEveryLiveOwnerIsFound();
    }

    @Test
    void crashBetweenPreAndNormalLeavesOnlyAnExtraLookupRow() {
        insertUser(1, "alice", ksid("k1"));
        db.commitThrough(CommitOrder.PRE);
        assertEquals(List.of(), db.committedRows("ks.user"));
        assertEquals(1, db.committedRows("name_idx").size());
        assertEveryLiveOwnerIsFound();

        // The orphan is taken over by the next insert of the same name.
        insertUser(2, "alice", ksid("k2"));
        db.commit();
        assertEquals(new Destination.One(ksid("k2")), map("alice"));
        assertEveryLiveOwnerIsFound();
    }

    @Test
    void crashBeforePostLeavesAnOrphanThatIsRepointed() {
        insertUser(1, "alice", ksid("k1"));
        db.commit();
        deleteUser(1, "alice", ksid("k1"));
        db.commitThrough(CommitOrder.NORMAL); // the owner row is gone, the lookup row stays
        assertEquals(new Destination.One(ksid("k1")), map("alice"));

        insertUser(2, "alice", ksid("k2"));
        db.commit();
        assertEquals(List.of(List.of(Value.of("alice"), Value.of(ksid("k2").bytes()))), db.committedRows("name_idx"));
        assertEveryLiveOwnerIsFound();
    }

    @Test
    void liveOwnerMakesARealDuplicate() {
        insertUser(1, "alice", ksid("k1"));
        db.commit();
        MosaicException e = assertThrows(MosaicException.class, () -> insertUser(2, "alice", ksid("k2")));
        assertEquals(SqlError.DUP_ENTRY, e.sqlError().orElseThrow());
        db.rollback();
        assertEquals(new Destination.One(ksid("k1")), map("alice"));
        assertEveryLiveOwnerIsFound();
    }

    @Test
    void updateMovesTheEntry() {
        insertUser(1, "alice", ksid("k1"));
        db.commit();
        lookup.update(db, List.of(Value.of("alice")), ksid("k1"), List.of(Value.of("alicia")));
        db.update("ks.user", List.of("name"), List.of(Value.of("alicia")), List.of("id"), List.of(Value.of(1)), CommitOrder.NORMAL);
        db.commit();
        assertEquals(Destination.NONE, map("alice"));
        assertEquals(new Destination.One(ksid("k1")), map("alicia"));
    }

    @Test
    void rollbackDiscardsEverything() {
        insertUser(1, "alice", ksid("k1"));
        db.rollback();
        assertEquals(List.of(), db.committedRows("name_idx"));
        assertEquals(Destination.NONE, map("alice"));
    }

    @Test
    void randomWorkloadWithCrashesNeverMissesALiveOwner() {
        Random rnd = new Random(42);
        String[] names = {"a", "b", "c", "d"};
        long nextId = 1;
        for (int step = 0; step < 400; step++) {
            List<List<Value>> users = db.committedRows("ks.user");
            try {
                if (users.isEmpty() || rnd.nextBoolean()) {
                    String name = names[rnd.nextInt(names.length)];
                    long id = nextId++;
                    insertUser(id, name, ksid("k" + id));
                } else {
                    List<Value> u = users.get(rnd.nextInt(users.size()));
                    deleteUser(((Value.Int) u.get(0)).value(), ((Value.Text) u.get(1)).asString(), KeyspaceId.of(u.get(2).toBytes()));
                }
            } catch (MosaicException e) {
                assertEquals(SqlError.DUP_ENTRY, e.sqlError().orElseThrow(), e.toString());
                db.rollback();
                continue;
            }
            switch (rnd.nextInt(5)) {
                case 0 -> db.commitThrough(CommitOrder.PRE);
                case 1 -> db.commitThrough(CommitOrder.NORMAL);
                case 2 -> db.rollback();
                default -> db.commit();
            }
            assertEveryLiveOwnerIsFound();
        }
        assertTrue(nextId > 50);
    }
}
