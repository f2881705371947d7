-- SELECTs the gate must reject with VT12001 (MySQL error 1235) when planning or, for values, at
-- execution, instead of answering them, because the gate cannot give MySQL's answer for them across
-- shards. One per line; keyspace customer.
SELECT customer_id FROM customer c WHERE customer_id = 5 AND EXISTS (SELECT 1 FROM corder o WHERE o.customer_id = 5)
SELECT COUNT(DISTINCT region) FROM customer
SELECT region, COUNT(*) FROM customer GROUP BY region HAVING COUNT(*) > 10
SELECT SUM(balance) / COUNT(*) FROM customer
SELECT customer_id FROM customer UNION SELECT customer_id FROM corder
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
SELECT COUNT(*) FROM customer c JOIN tag t ON t.customer_id = c.customer_id
SELECT DISTINCT t.label FROM customer c JOIN tag t ON t.customer_id = c.customer_id
SELECT c.region, COUNT(*) FROM customer c JOIN tag t ON t.customer_id = c.customer_id GROUP BY c.region
SELECT * FROM customer c JOIN tag t ON t.customer_id = c.customer_id
SELECT customer_id, label FROM customer c JOIN tag t ON t.tag_id = c.customer_id
SELECT c.customer_id FROM customer c RIGHT JOIN tag t ON t.customer_id = c.customer_id
SELECT c.customer_id + t.weight FROM customer c JOIN tag t ON t.customer_id = c.customer_id
SELECT customer_id FROM customer WHERE customer_id = 1 OR customer_id IN (SELECT customer_id FROM corder)
SELECT c.customer_id FROM customer c WHERE c.email IN (SELECT o.sku FROM corder o WHERE o.customer_id = c.customer_id)
SELECT customer_id, (SELECT MAX(qty) FROM corder) FROM customer
SELECT customer_id FROM customer UNION ALL SELECT balance FROM customer
SELECT customer_id FROM customer UNION ALL SELECT order_id FROM corder ORDER BY 1
SELECT customer_id FROM customer UNION ALL SELECT order_id FROM corder UNION SELECT tag_id FROM tag
