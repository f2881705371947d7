package dev.mosaic.server.mysqlctl;

import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import org.junit.jupiter.api.Test;

class SmokeIT {
    @Test
    void smoke() throws Exception {
        try (MysqldCluster c = MysqldCluster.start(2)) {
            System.out.println("init " + c.initTime() + " start " + c.startTime());
            Mysqld p = c.get(0);
            Mysqld r = c.get(1);
            System.out.println(p.flavor() + " " + p.fetchValue("SELECT VERSION()"));
            System.out.println(p.replication().makePrimary());
            p.executeAll(java.util.List.of("CREATE DATABASE t", "CREATE TABLE t.a (id INT PRIMARY KEY)", "INSERT INTO t.a VALUES (1)"));
            r.replication().setReplicationSource("127.0.0.1", p.connectionParams().port(), "root", "", false);
            var pos = p.replication().primaryPosition();
            System.out.println(pos);
            r.replication().waitForPosition(pos, java.time.Duration.ofSeconds(10));
            System.out.println(r.replication().replicationStatus());
            System.out.println(r.fetch("SELECT * FROM t.a"));
            System.out.println(r.replication().semiSyncStatus());
        }
    }
}
