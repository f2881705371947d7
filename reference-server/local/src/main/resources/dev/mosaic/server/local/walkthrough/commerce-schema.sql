-- Keyspace commerce (unsharded, shard 0): the product catalog and the two sequence tables that
-- hand out ids to the sharded keyspace customer. Same tables and columns as Vitess's local
-- example; IF NOT EXISTS so that applying it to an existing cluster changes nothing.
CREATE TABLE IF NOT EXISTS product (
  sku VARBINARY(128),
  description VARBINARY(128),
  price BIGINT,
  PRIMARY KEY (sku)
) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS customer_seq (
  id INT,
  next_id BIGINT,
  cache BIGINT,
  PRIMARY KEY (id)
) COMMENT 'vitess_sequence' ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS order_seq (
  id INT,
  next_id BIGINT,
  cache BIGINT,
  PRIMARY KEY (id)
) COMMENT 'vitess_sequence' ENGINE=InnoDB;
