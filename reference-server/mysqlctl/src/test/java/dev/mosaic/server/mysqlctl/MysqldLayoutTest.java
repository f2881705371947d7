package dev.mosaic.server.mysqlctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.flavor.Flavor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MysqldLayoutTest {

    @Test
    void vitessLayout() {
        MysqldLayout l = new MysqldLayout(Path.of("/vt"), 101);
        assertEquals(Path.of("/vt/vt_0000000101"), l.dir());
        assertEquals(Path.of("/vt/vt_0000000101/data"), l.dataDir());
        assertEquals(Path.of("/vt/vt_0000000101/tmp"), l.tmpDir());
        assertEquals(Path.of("/vt/vt_0000000101/mysql.sock"), l.socket());
        assertEquals(Path.of("/vt/vt_0000000101/mysql.pid"), l.pidFile());
        assertEquals(Path.of("/vt/vt_0000000101/error.log"), l.errorLog());
        assertEquals(Path.of("/vt/vt_0000000101/my.cnf"), l.myCnf());
    }

    @Test
    void socketPathMustFit() {
        Path deep = Path.of("/" + "x".repeat(100));
        MosaicException e = assertThrows(MosaicException.class, () -> new MysqldLayout(deep, 1));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("shorter root"), e.getMessage());
    }

    @Test
    void defaultsFollowVitessLocalExample() {
        MysqldConfig c = MysqldConfig.of(Path.of("/vt"), 101);
        assertEquals(17101, c.port());
        assertEquals("127.0.0.1", c.bindAddress());
        assertEquals(101, c.serverId());
        assertThrows(MosaicException.class, () -> MysqldConfig.of(Path.of("/vt"), 0));
        MosaicException e = assertThrows(MosaicException.class, () -> MysqldConfig.of(Path.of("/vt"), 60000));
        assertTrue(e.getMessage().contains("set the port explicitly"), e.getMessage());
    }

    @Test
    void myCnf() {
        MysqldConfig c = MysqldConfig.of(Path.of("/vt"), 7).withPort(23456).withOption("innodb_buffer_pool_size", "16M")
                .withOption("sync_binlog", "0");
        Flavor f = Flavor.forVersion("10.11.19-MariaDB");
        Map<String, String> m = MyCnf.mysqldOptions(c, f);
        assertEquals("7", m.get("server_id"));
        assertEquals("23456", m.get("port"));
        assertEquals("127.0.0.1", m.get("bind_address"));
        assertEquals("/vt/vt_0000000007/mysql.sock", m.get("socket"));
        assertEquals("/vt/vt_0000000007/data", m.get("datadir"));
        assertEquals("/vt/vt_0000000007/tmp", m.get("tmpdir"));
        assertEquals("/vt/vt_0000000007/data/mysql-bin", m.get("log_bin"));
        assertEquals("ROW", m.get("binlog_format"));
        assertEquals("FULL", m.get("binlog_row_image"));
        assertEquals("FULL", m.get("binlog_row_metadata"));
        assertEquals("ON", m.get("gtid_strict_mode"));
        assertEquals("ON", m.get("read_only"));
        assertEquals("16M", m.get("innodb_buffer_pool_size"));
        assertEquals("0", m.get("sync_binlog"));
        assertEquals("20", m.get("innodb_lock_wait_timeout"), "below the 30 s query timeout and call deadline");
        String text = MyCnf.render(c, f);
        assertTrue(text.contains("\n[mysqld]\nserver_id = 7\n"), text);
        assertTrue(text.contains("\nskip_name_resolve\n"), text);
        assertTrue(text.contains("\n[client]\nsocket = /vt/vt_0000000007/mysql.sock\n"), text);
    }

    @Test
    void missingBinaryNamesThePackages(@TempDir Path empty) {
        MosaicException e = assertThrows(MosaicException.class, () -> Binaries.require(List.of("mariadbd"),
                List.of(empty), Flavor.forVersion("10.11.19-MariaDB").packagesHint()));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains("apt-get install -y mariadb-server mariadb-client mariadb-backup"), e.getMessage());
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    }

    @Test
    void findsAnExecutableInAConfiguredDir(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("mariadbd");
        Files.writeString(bin, "#!/bin/sh\n");
        assertTrue(Binaries.find(List.of("mariadbd"), List.of(dir)).isEmpty(), "not executable yet");
        assertTrue(bin.toFile().setExecutable(true));
        assertEquals(bin, Binaries.find(List.of("mariadbd"), List.of(dir)).orElseThrow());
    }

    @Test
    void versionFromBinaryOutput() {
        assertEquals("10.11.19-MariaDB-0+deb12u1",
                Mysqld.versionOf("/usr/sbin/mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64 (Debian 12)"));
        assertEquals("8.0.36", Mysqld.versionOf("/usr/sbin/mysqld  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)"));
    }

    @Test
    void attachedMysqldIsNotManaged() {
        Mysqld m = Mysqld.attach(new ConnectionParams("127.0.0.1", 1, "root", "secret"));
        MosaicException e = assertThrows(MosaicException.class, m::init);
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        assertTrue(!e.toString().contains("secret"));
        assertThrows(MosaicException.class, () -> m.start(java.time.Duration.ofSeconds(1)));
    }
}
