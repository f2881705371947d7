-- SELECTs the gate must reject with VT12001 (MySQL error 1235) when planning or, for values, at
-- execution, instead of answering them, because the gate cannot give MySQL's answer for them across
-- shards. One per line; keyspace customer.
SELECT COUNT(DISTINCT region), COUNT(DISTINCT name) FROM customer
SELECT MAX(DISTINCT score) FROM customer
SELECT SUM(DISTINCT score), AVG(DISTINCT balance) FROM customer
SELECT region FROM customer GROUP BY region HAVING COUNT(DISTINCT name) > 1
SELECT SUM(balance) / COUNT(*) FROM customer
SELECT x.n FROM (SELECT COUNT(*) AS n FROM customer) x
SELECT * FROM customer ORDER BY customer_id
SELECT region, name, COUNT(*) FROM customer GROUP BY region
SELECT customer_id FROM customer GROUP BY customer_id WITH ROLLUP
WITH big AS (SELECT customer_id FROM customer WHERE balance > 1000) SELECT COUNT(*) FROM big
SELECT customer_id, name FROM customer WHERE customer_id = 7.0
SELECT customer_id, name FROM customer WHERE customer_id IN (7, '8.0')
SELECT tag_id, label FROM tag WHERE label = 0
SELECT tag_id, label FROM tag WHERE label IN ('red', 0)
SELECT c.customer_id FROM customer c LEFT JOIN corder o ON o.order_id = c.customer_id WHERE o.qty > 5
SELECT c.customer_id FROM customer c LEFT JOIN corder o ON o.order_id = c.customer_id AND c.score > 0
SELECT DISTINCT c.region, COUNT(*) FROM customer c JOIN tag t ON t.customer_id = c.customer_id GROUP BY c.region
SELECT DISTINCT c.region FROM customer c JOIN tag t ON t.customer_id = c.customer_id ORDER BY t.weight
SELECT COUNT(DISTINCT t.label) FROM customer c JOIN tag t ON t.customer_id = c.customer_id
SELECT SUM(c.balance) / COUNT(*) FROM customer c JOIN tag t ON t.customer_id = c.customer_id
SELECT c.region FROM customer c JOIN tag t ON t.customer_id = c.customer_id GROUP BY c.region HAVING COUNT(*) > 1
SELECT * FROM customer c JOIN tag t ON t.customer_id = c.customer_id
SELECT customer_id, label FROM customer c JOIN tag t ON t.tag_id = c.customer_id
SELECT c.customer_id FROM customer c RIGHT JOIN tag t ON t.customer_id = c.customer_id
SELECT c.customer_id + t.weight FROM customer c JOIN tag t ON t.customer_id = c.customer_id
SELECT customer_id FROM customer WHERE customer_id = 1 OR customer_id IN (SELECT customer_id FROM corder)
SELECT customer_id, (SELECT MAX(qty) FROM corder) FROM customer
SELECT customer_id FROM customer UNION ALL SELECT balance FROM customer
SELECT customer_id FROM customer UNION SELECT customer_id FROM corder UNION ALL SELECT tag_id FROM tag
SELECT COUNT(*) FROM customer UNION SELECT customer_id FROM corder
SELECT name FROM customer UNION SELECT customer_id FROM corder
SELECT customer_id FROM customer INTERSECT SELECT customer_id FROM corder
SELECT * FROM customer UNION SELECT * FROM customer
SELECT c.customer_id FROM customer c WHERE EXISTS (SELECT 1 FROM corder o WHERE o.order_id = c.customer_id)
SELECT c.customer_id FROM customer c WHERE EXISTS (SELECT 1 FROM tag t WHERE t.customer_id = c.customer_id)
SELECT c.customer_id FROM customer c WHERE NOT EXISTS (SELECT 1 FROM corder o WHERE o.customer_id = c.customer_id AND o.sku IN (SELECT label FROM tag))
SELECT c.customer_id FROM customer c JOIN tag t ON t.customer_id = c.customer_id WHERE EXISTS (SELECT 1 FROM corder o WHERE o.customer_id = c.customer_id)
SELECT d.name FROM (SELECT name FROM customer ORDER BY name LIMIT 3) AS d
SELECT d.customer_id FROM (SELECT customer_id FROM customer) AS d JOIN corder o ON o.customer_id = d.customer_id
SELECT region, COUNT(*) FROM customer GROUP BY region HAVING region = 'eu'
SELECT sku, COUNT(*) FROM corder GROUP BY sku HAVING COUNT(*) > '2'
SELECT region, COUNT(*) FROM customer GROUP BY region HAVING COUNT(*) > 10 OR region = 'eu'
