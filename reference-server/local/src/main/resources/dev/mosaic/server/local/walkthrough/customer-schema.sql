-- Keyspace customer (sharded by customer_id): customers and their orders. The ids come from the
-- sequences in commerce (see customer-vschema.json); AUTO_INCREMENT stays on the columns so the
-- tables match Vitess's local example. IF NOT EXISTS so that re-applying changes nothing.
CREATE TABLE IF NOT EXISTS customer (
  customer_id BIGINT NOT NULL AUTO_INCREMENT,
  email VARBINARY(128),
  PRIMARY KEY (customer_id)
) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS corder (
  order_id BIGINT NOT NULL AUTO_INCREMENT,
  customer_id BIGINT,
  sku VARBINARY(128),
  price BIGINT,
  PRIMARY KEY (order_id)
) ENGINE=InnoDB;
