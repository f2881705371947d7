-- Hand-written SELECTs for ShardedDifferentialIT: each runs through the gate (customer queries on
-- primary and on replica tablets) and on the unsharded oracle, and the answers must be equal.
-- One statement per line. A result is compared as an ordered list when the statement has a
-- top-level ORDER BY (every ORDER BY here is total: ties are broken by a unique key), else as a
-- multiset. Directives: "-- @keyspace <ks>" switches the session keyspace for the lines after it;
-- "-- @ci" before a statement compares its text case- and accent-insensitively, for the statements
-- where MySQL itself may print any member of a group of collation-equal values (GROUP BY / DISTINCT /
-- MIN / MAX of a column holding 'alice' and 'Alice', or 'zoë' and 'Zoe').
-- @keyspace customer

-- point lookups and IN lists (EqualUnique, IN)
SELECT customer_id, name, email, region, balance, created, score FROM customer WHERE customer_id = 7
SELECT customer_id, name FROM customer WHERE customer_id = -3
SELECT customer_id, name FROM customer WHERE customer_id = 99999
SELECT customer_id, name FROM customer WHERE customer_id = 9000000003
SELECT customer_id, name, balance FROM customer WHERE customer_id IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10) ORDER BY customer_id
SELECT customer_id, balance FROM customer WHERE customer_id IN (-1, 17, 9000000001, 123456) ORDER BY customer_id DESC
SELECT name FROM customer WHERE customer_id IN (11, 12, 13)
SELECT customer_id FROM customer WHERE customer_id = 4 OR customer_id = 40 OR customer_id = 140 ORDER BY customer_id
SELECT customer_id, name FROM customer WHERE customer_id = NULL
SELECT COUNT(*), SUM(balance) FROM customer WHERE customer_id = NULL
SELECT COUNT(*), SUM(balance), MAX(name) FROM customer WHERE customer_id = 21
SELECT customer_id, UPPER(name), LENGTH(email), balance * 2 AS dbl FROM customer WHERE customer_id = 33

-- ranges and scatter with ORDER BY / LIMIT
SELECT customer_id, balance FROM customer WHERE customer_id BETWEEN 20 AND 40 ORDER BY customer_id
SELECT customer_id, name FROM customer WHERE customer_id > 200 ORDER BY customer_id DESC LIMIT 7
SELECT customer_id, name, balance FROM customer ORDER BY balance, customer_id LIMIT 15
SELECT customer_id, name, balance FROM customer ORDER BY balance DESC, customer_id DESC LIMIT 15
SELECT customer_id, balance FROM customer ORDER BY balance DESC, customer_id LIMIT 10 OFFSET 20
SELECT customer_id, name FROM customer ORDER BY name, customer_id LIMIT 25
SELECT customer_id, name FROM customer ORDER BY name DESC, customer_id LIMIT 25
SELECT customer_id, name FROM customer ORDER BY name, customer_id DESC LIMIT 12 OFFSET 30
SELECT customer_id, region, score FROM customer ORDER BY region, score DESC, customer_id LIMIT 40
SELECT customer_id, created FROM customer ORDER BY created, customer_id LIMIT 20
SELECT customer_id, created FROM customer ORDER BY created DESC, customer_id DESC LIMIT 20
SELECT customer_id, email FROM customer ORDER BY email, customer_id LIMIT 30
SELECT customer_id, score FROM customer WHERE score IS NOT NULL ORDER BY score, customer_id LIMIT 5 OFFSET 100
SELECT customer_id, name FROM customer ORDER BY customer_id LIMIT 0
SELECT customer_id, score FROM customer ORDER BY score, customer_id
SELECT name, customer_id FROM customer ORDER BY 1, 2 LIMIT 20
SELECT customer_id AS id, balance AS b FROM customer ORDER BY b, id LIMIT 10
SELECT customer_id, balance FROM customer ORDER BY balance, customer_id LIMIT 500 OFFSET 250
SELECT customer_id, score FROM customer WHERE region = 'eu' ORDER BY score DESC, customer_id LIMIT 10
SELECT customer_id FROM customer LIMIT 1000
SELECT customer_id FROM customer ORDER BY balance * -1, customer_id LIMIT 10
SELECT customer_id, email FROM customer ORDER BY email DESC, customer_id LIMIT 30
SELECT region, COUNT(*) FROM customer GROUP BY region ORDER BY region LIMIT 2 OFFSET 1

-- filters: LIKE, IS NULL, BETWEEN, CASE, expressions, string functions
SELECT customer_id, name FROM customer WHERE name LIKE 'a%'
SELECT customer_id, email FROM customer WHERE email LIKE '%@example.com' ORDER BY customer_id
SELECT customer_id FROM customer WHERE email IS NULL
SELECT customer_id, region FROM customer WHERE region IS NULL OR balance IS NULL
SELECT customer_id, balance FROM customer WHERE balance BETWEEN -100 AND 100
SELECT customer_id, created FROM customer WHERE created BETWEEN '2021-01-01' AND '2021-06-30' ORDER BY created, customer_id
SELECT customer_id, CASE WHEN balance < 0 THEN 'neg' WHEN balance = 0 THEN 'zero' WHEN balance IS NULL THEN 'none' ELSE 'pos' END AS sign FROM customer
SELECT customer_id, CONCAT(UPPER(LEFT(name, 1)), LOWER(SUBSTRING(name, 2))) AS nice, LENGTH(name) FROM customer WHERE score > 50
SELECT customer_id, COALESCE(region, '?'), IFNULL(score, -999), balance + 1.5, score * 3 - 1 FROM customer WHERE customer_id < 50
SELECT customer_id, REPLACE(email, '@', ' at ') FROM customer WHERE email IS NOT NULL AND customer_id % 7 = 0
SELECT customer_id, YEAR(created), MONTH(created), DATEDIFF(created, '2020-01-01') FROM customer WHERE created IS NOT NULL ORDER BY customer_id LIMIT 30
SELECT customer_id, ROUND(balance / 3, 2), FLOOR(balance), ABS(score) FROM customer WHERE customer_id BETWEEN 100 AND 140
SELECT customer_id, name FROM customer WHERE name IN ('alice', 'BOB', 'zoë') ORDER BY customer_id
SELECT customer_id, name FROM customer WHERE name = 'Alice' ORDER BY customer_id
SELECT customer_id, name FROM customer WHERE NOT (score > 0) AND region <> 'us' ORDER BY name, customer_id
SELECT customer_id FROM customer WHERE (score > 90 OR score < -90) AND balance > 0 ORDER BY customer_id

-- aggregates without GROUP BY
SELECT COUNT(*) FROM customer
SELECT COUNT(*), COUNT(email), COUNT(region), COUNT(balance) FROM customer
SELECT SUM(balance), MIN(balance), MAX(balance) FROM customer
SELECT AVG(balance) FROM customer
SELECT AVG(score), SUM(score), MIN(score), MAX(score) FROM customer
SELECT MIN(created), MAX(created) FROM customer
SELECT COUNT(*), SUM(balance), AVG(balance) FROM customer WHERE balance < 0
SELECT COUNT(*), SUM(balance), AVG(balance), MIN(name), MAX(score) FROM customer WHERE customer_id > 100000000000
SELECT MIN(email), MAX(email) FROM customer
SELECT MIN(region), MAX(region) FROM customer
SELECT SUM(qty), SUM(price * qty), AVG(price), COUNT(*) FROM corder
SELECT MAX(order_id), MIN(price) FROM corder WHERE qty <= 0

-- GROUP BY (with ORDER BY, NULL groups)
SELECT region, COUNT(*) FROM customer GROUP BY region
SELECT region, COUNT(*), SUM(balance), AVG(balance) FROM customer GROUP BY region ORDER BY region
SELECT region, COUNT(*), MIN(score), MAX(score) FROM customer GROUP BY region ORDER BY region DESC
SELECT region, AVG(score) FROM customer GROUP BY region ORDER BY AVG(score), region
SELECT region, AVG(balance) AS a, COUNT(*) FROM customer GROUP BY region ORDER BY a DESC, region
SELECT region, COUNT(*) AS n FROM customer GROUP BY region ORDER BY n DESC, region
SELECT region, score, COUNT(*) FROM customer WHERE score BETWEEN -5 AND 5 GROUP BY region, score ORDER BY region, score
SELECT YEAR(created), COUNT(*) FROM customer GROUP BY YEAR(created) ORDER BY YEAR(created)
SELECT score, COUNT(*) FROM customer GROUP BY score ORDER BY COUNT(*) DESC, score LIMIT 10
SELECT customer_id, COUNT(*), SUM(qty) FROM corder GROUP BY customer_id ORDER BY customer_id LIMIT 40
SELECT sku, COUNT(*), SUM(qty), MIN(price), MAX(price), AVG(qty) FROM corder GROUP BY sku ORDER BY sku
SELECT sku, SUM(price * qty) AS total FROM corder GROUP BY sku ORDER BY total DESC, sku LIMIT 5
SELECT qty, COUNT(*) FROM corder GROUP BY qty
-- @ci
SELECT name, COUNT(*) FROM customer GROUP BY name ORDER BY name
-- @ci
SELECT label, COUNT(*), SUM(weight) FROM tag GROUP BY label ORDER BY label

-- DISTINCT
SELECT DISTINCT region FROM customer
SELECT DISTINCT region FROM customer ORDER BY region
SELECT DISTINCT score FROM customer ORDER BY score DESC
SELECT DISTINCT region, score FROM customer WHERE score > 80
SELECT DISTINCT sku FROM corder ORDER BY sku
SELECT DISTINCT qty, sku FROM corder WHERE qty < 2
-- @ci
SELECT DISTINCT name FROM customer ORDER BY name
-- @ci
SELECT weight, MIN(label), MAX(label), COUNT(*) FROM tag GROUP BY weight ORDER BY weight

-- joins pushed down (same vindex on customer_id), reference-table joins
SELECT c.customer_id, c.name, o.order_id, o.sku, o.qty FROM customer c JOIN corder o ON c.customer_id = o.customer_id WHERE c.customer_id = 5 ORDER BY o.order_id
SELECT c.name, o.order_id, o.price FROM customer c JOIN corder o ON c.customer_id = o.customer_id WHERE o.customer_id = 12 ORDER BY o.order_id
SELECT c.customer_id, o.order_id FROM customer c JOIN corder o ON c.customer_id = o.customer_id ORDER BY o.order_id LIMIT 50
SELECT c.customer_id, c.name, o.order_id FROM customer c, corder o WHERE c.customer_id = o.customer_id AND o.qty > 8
SELECT c.customer_id, c.name, o.order_id FROM customer c LEFT JOIN corder o ON c.customer_id = o.customer_id WHERE c.customer_id < 30 ORDER BY c.customer_id, o.order_id
SELECT c.customer_id FROM customer c LEFT JOIN corder o ON c.customer_id = o.customer_id WHERE o.order_id IS NULL ORDER BY c.customer_id
SELECT c.region, COUNT(*), SUM(o.qty) FROM customer c JOIN corder o ON c.customer_id = o.customer_id GROUP BY c.region ORDER BY c.region
SELECT COUNT(*), SUM(o.price * o.qty) FROM customer c JOIN corder o ON c.customer_id = o.customer_id WHERE c.balance > 0
SELECT c.customer_id, c.region, r.zone, r.tax_rate FROM customer c JOIN region_ref r ON c.region = r.region ORDER BY c.customer_id LIMIT 60
SELECT r.zone, COUNT(*) FROM customer c JOIN region_ref r ON c.region = r.region GROUP BY r.zone ORDER BY r.zone
SELECT region, zone, tax_rate FROM region_ref ORDER BY region
SELECT COUNT(*) FROM region_ref WHERE tax_rate IS NULL
SELECT c.customer_id, r.zone, o.order_id FROM customer c JOIN region_ref r ON c.region = r.region JOIN corder o ON o.customer_id = c.customer_id WHERE c.customer_id = 8 ORDER BY o.order_id
SELECT tag_id, label, weight FROM tag WHERE label = 'red' ORDER BY tag_id
SELECT tag_id, label FROM tag WHERE label IN ('VIP', 'blue') ORDER BY tag_id
SELECT tag_id, label, weight FROM tag ORDER BY weight, tag_id LIMIT 20

-- more merge, aggregate and routing shapes
SELECT * FROM customer WHERE customer_id = 5
SELECT * FROM customer WHERE balance > 14000
SELECT * FROM region_ref
SELECT 1, 'x', customer_id FROM customer ORDER BY customer_id LIMIT 3
SELECT customer_id, name FROM customer ORDER BY LOWER(name), customer_id LIMIT 20
SELECT customer_id, created FROM customer ORDER BY created DESC, customer_id LIMIT 5 OFFSET 225
SELECT customer_id FROM customer ORDER BY customer_id LIMIT 10 OFFSET 10000
SELECT customer_id, name FROM customer WHERE customer_id IN (1, 2, 3, 4, 5, 6) ORDER BY name, customer_id LIMIT 4
SELECT COUNT(*), MAX(balance), AVG(balance) FROM customer WHERE customer_id IN (1, 2, 3, 4, 5, 6, 7)
SELECT AVG(balance), AVG(score) FROM customer WHERE customer_id IN (1, 2)
SELECT COUNT(*) FROM customer WHERE 1 = 0
SELECT SUM(balance), AVG(balance), MIN(balance) FROM customer WHERE balance IS NULL
SELECT SUM(customer_id), AVG(customer_id), MIN(customer_id), MAX(customer_id) FROM customer
SELECT region AS r, COUNT(*) FROM customer GROUP BY r ORDER BY r
SELECT region, COUNT(*) FROM customer GROUP BY 1 ORDER BY 1 DESC
SELECT COUNT(*) AS n, region FROM customer GROUP BY region ORDER BY region
SELECT COUNT(*) FROM customer GROUP BY region
SELECT score, region, COUNT(*) FROM customer WHERE score > 60 GROUP BY region, score ORDER BY score, region
SELECT region, score, SUM(balance) FROM customer WHERE score < -60 GROUP BY region, score ORDER BY region DESC, score
SELECT region, COUNT(*) FROM customer WHERE balance > 99999 GROUP BY region
SELECT region, COUNT(email), COUNT(created), MIN(created), MAX(balance) FROM customer GROUP BY region ORDER BY region
SELECT DISTINCT region FROM customer ORDER BY region DESC LIMIT 3
SELECT DISTINCT score FROM customer WHERE score BETWEEN 0 AND 20 ORDER BY score LIMIT 5 OFFSET 2
SELECT c.customer_id, c.name, COUNT(o.order_id) FROM customer c LEFT JOIN corder o ON c.customer_id = o.customer_id GROUP BY c.customer_id, c.name ORDER BY c.customer_id LIMIT 25
SELECT o.customer_id, SUM(o.qty) AS q FROM corder o JOIN customer c ON o.customer_id = c.customer_id WHERE c.region = 'eu' GROUP BY o.customer_id ORDER BY q DESC, o.customer_id LIMIT 10
SELECT tag_id, label FROM tag WHERE label IN ('RED', 'vip') ORDER BY tag_id
SELECT tag_id, label FROM tag WHERE label = 'Vip' ORDER BY tag_id
SELECT tag_id, label FROM tag WHERE label LIKE 'r%' ORDER BY label, tag_id
SELECT COUNT(*), SUM(weight), AVG(weight) FROM tag WHERE label = 'green'
-- @ci
SELECT name, COUNT(*) FROM customer GROUP BY name ORDER BY COUNT(*) DESC, name
-- @ci
SELECT region, MIN(name), MAX(name) FROM customer GROUP BY region ORDER BY region

-- vindex values written as other types, and varchar-vindex equality under the collation
SELECT customer_id, name FROM customer WHERE customer_id = '7'
SELECT customer_id, name FROM customer WHERE customer_id IN ('1', '2', 3) ORDER BY customer_id
SELECT customer_id FROM customer WHERE customer_id IN (5, 5, 5)
SELECT customer_id FROM customer WHERE customer_id IN (NULL, 5, 6) ORDER BY customer_id
SELECT customer_id FROM customer WHERE customer_id = 5 OR score > 98 ORDER BY customer_id
SELECT tag_id, label FROM tag WHERE label = 'RED ' ORDER BY tag_id
SELECT tag_id, label FROM tag WHERE label = 'réd' ORDER BY tag_id
SELECT tag_id, label FROM tag WHERE label IN ('Grëen', 'VIP  ') ORDER BY tag_id
SELECT customer_id, name FROM customer WHERE customer_id = '07'
SELECT customer_id, name FROM customer WHERE customer_id = ' 7'
-- doubles (computed per row on the shards; MIN/MAX pick a shard's value), hidden sort columns
SELECT customer_id, score / 3e0 AS f FROM customer WHERE score IS NOT NULL ORDER BY f, customer_id LIMIT 20
SELECT customer_id, SQRT(ABS(score)) FROM customer WHERE customer_id < 20
SELECT MIN(score * 1.5e0), MAX(score / 7e0) FROM customer
SELECT region, MAX(score / 7e0) FROM customer GROUP BY region ORDER BY region
SELECT customer_id FROM customer ORDER BY name, customer_id LIMIT 10
SELECT customer_id FROM customer ORDER BY created DESC, balance, customer_id LIMIT 10 OFFSET 5
SELECT o.order_id, o.sku FROM customer c JOIN corder o ON c.customer_id = o.customer_id ORDER BY o.sku DESC, o.order_id LIMIT 15
SELECT DISTINCT LOWER(region) FROM customer
SELECT COUNT(*) FROM customer GROUP BY YEAR(created) ORDER BY YEAR(created)
SELECT region FROM customer GROUP BY region ORDER BY COUNT(*), region
SELECT COUNT(*) FROM customer LIMIT 1
SELECT SUM(balance * 3), SUM(score + 0.5), MIN(balance - 1) FROM customer

-- cross-shard joins: nested loop at the gate (Join), the right side bound per left row
SELECT c.customer_id, t.label FROM customer c JOIN tag t ON t.customer_id = c.customer_id
SELECT o.order_id, t.label FROM corder o JOIN tag t ON t.tag_id = o.order_id WHERE o.customer_id = 8
SELECT t.tag_id, t.label, c.name FROM tag t JOIN customer c ON c.customer_id = t.customer_id ORDER BY t.tag_id
SELECT t.tag_id, c.name, c.balance FROM tag t LEFT JOIN customer c ON c.customer_id = t.customer_id ORDER BY t.tag_id
SELECT t.tag_id, c.customer_id FROM tag t LEFT JOIN customer c ON c.customer_id = t.customer_id AND c.score > 0 ORDER BY t.tag_id
SELECT t.tag_id, c.customer_id, c.region FROM tag t LEFT OUTER JOIN customer c ON c.customer_id = t.weight WHERE t.label <> 'vip' ORDER BY t.tag_id
SELECT c.customer_id, o.order_id FROM customer c, corder o WHERE o.order_id = c.customer_id AND c.customer_id BETWEEN 1 AND 30 ORDER BY c.customer_id, o.order_id
SELECT c.customer_id, o.order_id FROM customer c CROSS JOIN corder o WHERE o.order_id = c.score ORDER BY c.customer_id, o.order_id
SELECT c.name, o.order_id FROM corder o JOIN customer c ON c.customer_id = o.qty ORDER BY c.name, o.order_id LIMIT 25
SELECT c.name, o.order_id FROM corder o JOIN customer c ON c.customer_id = o.qty ORDER BY c.name DESC, o.order_id DESC LIMIT 10 OFFSET 7
SELECT c.customer_id, o.order_id, o.price FROM customer c LEFT JOIN corder o ON o.order_id = c.customer_id ORDER BY c.customer_id DESC, o.order_id LIMIT 20 OFFSET 10
SELECT o.order_id FROM tag t JOIN corder o ON o.order_id = t.weight ORDER BY t.tag_id, o.order_id
SELECT t.tag_id, c.name, o.order_id FROM tag t JOIN customer c ON c.customer_id = t.customer_id JOIN corder o ON o.customer_id = c.customer_id WHERE o.qty > 8 ORDER BY t.tag_id, o.order_id
SELECT a.tag_id, c.customer_id, b.tag_id FROM tag a JOIN customer c ON c.customer_id = a.customer_id JOIN tag b ON b.label = a.label ORDER BY a.tag_id, b.tag_id
SELECT a.tag_id, b.tag_id FROM tag a JOIN tag b ON b.label = CONCAT(a.label, '') AND b.tag_id < a.tag_id WHERE a.tag_id <= 30 ORDER BY a.tag_id, b.tag_id
SELECT o.order_id, o.price * o.qty AS total, UPPER(c.name) FROM corder o JOIN customer c ON c.customer_id = o.qty WHERE o.order_id < 50
SELECT o.order_id, c.customer_id FROM corder o JOIN customer c ON c.balance = o.price WHERE o.order_id < 120
SELECT c.customer_id, c2.customer_id FROM customer c JOIN customer c2 ON c2.customer_id = c.score WHERE c.customer_id < 0 ORDER BY c.customer_id
SELECT t.tag_id, c.created FROM tag t JOIN customer c ON c.customer_id = t.customer_id AND c.created > '2021-06-01' ORDER BY c.created, t.tag_id
SELECT t.tag_id, c.customer_id FROM tag t LEFT JOIN customer c ON c.customer_id = t.customer_id AND c.customer_id IN (1, 2, 3, 4, 5, 50, 60, 70) ORDER BY t.tag_id
SELECT c.customer_id, o.order_id FROM customer c JOIN corder o ON o.order_id = c.score WHERE c.customer_id > 100 AND (o.qty > 8 OR o.qty < 1) ORDER BY c.customer_id, o.order_id

-- aggregation over cross-shard joins: the join returns the grouping columns and the aggregates' arguments, the gate sorts and aggregates
SELECT COUNT(*) FROM customer c JOIN tag t ON t.customer_id = c.customer_id
-- @ci
SELECT c.region, COUNT(*) FROM customer c JOIN tag t ON t.customer_id = c.customer_id GROUP BY c.region
SELECT COUNT(*), COUNT(o.qty), SUM(o.qty), AVG(o.price), MIN(o.price), MAX(c.balance) FROM corder o JOIN customer c ON c.customer_id = o.qty
SELECT COUNT(*), SUM(o.qty), AVG(o.price), MIN(o.sku) FROM corder o JOIN customer c ON c.customer_id = o.qty WHERE o.order_id < 0
-- @ci
SELECT t.label, COUNT(*), SUM(c.balance), AVG(c.score), MIN(c.name), MAX(c.name) FROM tag t JOIN customer c ON c.customer_id = t.customer_id GROUP BY t.label
SELECT c.customer_id, COUNT(o.order_id), SUM(o.price) FROM customer c LEFT JOIN corder o ON o.order_id = c.customer_id GROUP BY c.customer_id ORDER BY c.customer_id
SELECT o.qty, COUNT(*) AS n, SUM(c.balance) AS s FROM corder o JOIN customer c ON c.customer_id = o.qty GROUP BY o.qty HAVING n > 1 ORDER BY s DESC, o.qty LIMIT 5
SELECT COUNT(*) FROM tag t JOIN customer c ON c.customer_id = t.customer_id GROUP BY c.score ORDER BY 1
SELECT YEAR(c.created) AS y, COUNT(t.tag_id) FROM customer c JOIN tag t ON t.customer_id = c.customer_id GROUP BY YEAR(c.created) ORDER BY y
SELECT t.weight, AVG(c.balance), MIN(c.created) FROM tag t LEFT JOIN customer c ON c.customer_id = t.customer_id GROUP BY t.weight ORDER BY t.weight
-- @ci
SELECT c.region, MAX(o.price) AS m FROM customer c JOIN corder o ON o.order_id = c.score GROUP BY c.region ORDER BY m, c.region
-- @ci
SELECT DISTINCT t.label FROM customer c JOIN tag t ON t.customer_id = c.customer_id
-- @ci
SELECT DISTINCT c.region, t.weight FROM tag t LEFT JOIN customer c ON c.customer_id = t.customer_id ORDER BY t.weight DESC, c.region
SELECT DISTINCT o.qty FROM corder o JOIN customer c ON c.customer_id = o.qty ORDER BY o.qty LIMIT 4 OFFSET 1
SELECT DISTINCT c.score % 3, o.qty > 5 FROM customer c JOIN corder o ON o.order_id = c.score

-- uncorrelated subqueries in WHERE: evaluated once at the gate, pushed as values
SELECT customer_id FROM customer WHERE customer_id IN (SELECT customer_id FROM corder WHERE qty > 5)
SELECT name FROM customer WHERE customer_id = 5 AND balance > (SELECT AVG(balance) FROM customer)
SELECT c.customer_id, t.label FROM customer c JOIN tag t ON t.customer_id = c.customer_id WHERE c.customer_id IN (SELECT customer_id FROM corder)
SELECT customer_id, name FROM customer WHERE customer_id NOT IN (SELECT customer_id FROM corder) ORDER BY customer_id
SELECT tag_id FROM tag WHERE customer_id NOT IN (SELECT customer_id FROM customer WHERE score > 50) ORDER BY tag_id
SELECT customer_id FROM customer WHERE score IN (SELECT weight FROM tag) ORDER BY customer_id
SELECT customer_id FROM customer WHERE score NOT IN (SELECT weight FROM tag)
SELECT customer_id FROM customer WHERE customer_id IN (SELECT customer_id FROM corder WHERE qty > 100)
SELECT customer_id FROM customer WHERE customer_id NOT IN (SELECT customer_id FROM corder WHERE qty > 100) ORDER BY customer_id
SELECT COUNT(*) FROM customer WHERE balance > (SELECT AVG(balance) FROM customer)
SELECT customer_id FROM customer WHERE score = (SELECT MAX(score) FROM customer) ORDER BY customer_id
SELECT customer_id FROM customer WHERE name = (SELECT MIN(name) FROM customer) ORDER BY customer_id
SELECT customer_id FROM customer WHERE score > (SELECT MAX(weight) FROM tag WHERE label = 'nonexistent')
SELECT tag_id, label FROM tag WHERE label IN (SELECT label FROM tag WHERE weight > 8) ORDER BY tag_id
SELECT customer_id FROM customer WHERE (SELECT COUNT(*) FROM corder WHERE qty = 0) < score AND customer_id IN (SELECT customer_id FROM corder WHERE qty = 0) ORDER BY customer_id
SELECT order_id FROM corder WHERE customer_id = 7 AND qty >= (SELECT AVG(qty) FROM corder) ORDER BY order_id

-- UNION ALL across shards: concatenated at the gate
SELECT customer_id FROM customer WHERE customer_id < 20 UNION ALL SELECT customer_id FROM corder WHERE order_id < 30
SELECT name FROM customer WHERE score > 90 UNION ALL SELECT label FROM tag WHERE weight > 8
SELECT c.customer_id, o.order_id FROM customer c JOIN corder o ON o.order_id = c.score UNION ALL SELECT tag_id, weight FROM tag WHERE weight > 5
SELECT balance FROM customer WHERE customer_id < 10 UNION ALL SELECT price FROM corder WHERE order_id < 10 UNION ALL SELECT balance FROM customer WHERE customer_id = 7

-- UNION (distinct) across shards: deduplicated at the gate (collation through weight strings, NULLs equal)
SELECT customer_id FROM customer UNION SELECT customer_id FROM corder
-- @ci
SELECT name FROM customer UNION SELECT label FROM tag
-- @ci
SELECT region FROM customer UNION SELECT region FROM customer WHERE customer_id < 5
SELECT score FROM customer UNION SELECT weight FROM tag
SELECT balance FROM customer UNION SELECT balance FROM customer WHERE customer_id = 7
-- @ci
SELECT customer_id, region FROM customer WHERE customer_id < 30 UNION SELECT customer_id, sku FROM corder ORDER BY customer_id, region LIMIT 20
SELECT created FROM customer UNION SELECT created FROM customer ORDER BY created DESC LIMIT 3 OFFSET 1
SELECT customer_id FROM customer UNION ALL SELECT order_id FROM corder ORDER BY 1
SELECT customer_id FROM customer UNION ALL SELECT order_id FROM corder ORDER BY customer_id DESC LIMIT 7
SELECT customer_id FROM customer UNION ALL SELECT order_id FROM corder UNION SELECT tag_id FROM tag
SELECT name FROM customer WHERE customer_id = 7 UNION SELECT zone FROM region_ref
(SELECT customer_id FROM customer ORDER BY customer_id LIMIT 3) UNION (SELECT customer_id FROM corder WHERE customer_id = 4)
SELECT customer_id, name FROM customer WHERE customer_id = 3 UNION SELECT customer_id, name FROM customer WHERE customer_id = 3

-- EXISTS / NOT EXISTS and correlated subqueries: uncorrelated ones evaluated once, correlated ones on the outer row's shard pushed down
SELECT customer_id FROM customer c WHERE customer_id = 5 AND EXISTS (SELECT 1 FROM corder o WHERE o.customer_id = 5)
SELECT customer_id FROM customer WHERE EXISTS (SELECT 1 FROM tag WHERE weight > 100) ORDER BY customer_id
SELECT customer_id FROM customer WHERE NOT EXISTS (SELECT * FROM tag WHERE weight > 100) ORDER BY customer_id LIMIT 5
SELECT customer_id FROM customer WHERE EXISTS (SELECT label FROM tag GROUP BY label) AND score > 50 ORDER BY customer_id
SELECT c.customer_id, c.name FROM customer c WHERE EXISTS (SELECT 1 FROM corder o WHERE o.customer_id = c.customer_id AND o.qty > 8) ORDER BY c.customer_id
SELECT c.customer_id FROM customer c WHERE NOT EXISTS (SELECT 1 FROM corder o WHERE o.customer_id = c.customer_id) ORDER BY c.customer_id
SELECT c.customer_id FROM customer c WHERE c.customer_id = 7 AND EXISTS (SELECT 1 FROM corder o WHERE o.customer_id = c.customer_id)
SELECT c.customer_id, (SELECT COUNT(*) FROM corder o WHERE o.customer_id = c.customer_id) AS n FROM customer c ORDER BY c.customer_id
SELECT c.customer_id, (SELECT MAX(o.price) FROM corder o WHERE o.customer_id = c.customer_id) AS top FROM customer c WHERE c.customer_id IN (1, 2, 3, 4, 5) ORDER BY c.customer_id
SELECT c.customer_id FROM customer c WHERE c.email IN (SELECT o.sku FROM corder o WHERE o.customer_id = c.customer_id)
SELECT c.customer_id FROM customer c WHERE c.score > (SELECT AVG(o.qty) FROM corder o WHERE o.customer_id = c.customer_id) ORDER BY c.customer_id
SELECT c.region, COUNT(*) FROM customer c WHERE EXISTS (SELECT 1 FROM corder o WHERE o.customer_id = c.customer_id AND o.qty >= 5) GROUP BY c.region ORDER BY c.region
SELECT c.customer_id FROM customer c WHERE EXISTS (SELECT 1 FROM corder o JOIN region_ref r ON r.region = c.region WHERE o.customer_id = c.customer_id) ORDER BY c.customer_id

-- derived tables merged into the route (one shard, or several when the derived table means the same per shard)
SELECT d.region, COUNT(*) AS n FROM (SELECT region, balance FROM customer WHERE balance > 100) AS d GROUP BY d.region ORDER BY d.region
SELECT d.name FROM (SELECT name, customer_id FROM customer WHERE customer_id IN (1, 2, 3, 4)) AS d ORDER BY d.customer_id
SELECT d.sku, d.qty FROM (SELECT o.sku, o.qty, o.order_id FROM customer c JOIN corder o ON o.customer_id = c.customer_id WHERE c.score > 50) AS d ORDER BY d.order_id LIMIT 10
SELECT COUNT(*), SUM(d.qty) FROM (SELECT qty FROM corder WHERE qty > 3) AS d
SELECT d.n FROM (SELECT COUNT(*) AS n FROM corder WHERE customer_id = 7) AS d
SELECT d.zone FROM (SELECT zone FROM region_ref) AS d ORDER BY d.zone

-- HAVING over a multi-shard aggregation, filtered at the gate (numeric comparisons)
SELECT region, COUNT(*) FROM customer GROUP BY region HAVING COUNT(*) > 10
SELECT region, COUNT(*) AS n, SUM(balance) FROM customer GROUP BY region HAVING n >= 5 AND SUM(balance) > 1000 ORDER BY region
SELECT customer_id, COUNT(*) FROM corder GROUP BY customer_id HAVING COUNT(*) >= 3 ORDER BY COUNT(*) DESC, customer_id LIMIT 5
SELECT sku FROM corder GROUP BY sku HAVING MAX(qty) = 10 ORDER BY sku
SELECT COUNT(*) FROM corder HAVING COUNT(*) > 1000000
SELECT region, AVG(score) FROM customer GROUP BY region HAVING AVG(score) > 50 ORDER BY region
SELECT customer_id, SUM(price) FROM corder GROUP BY customer_id HAVING SUM(price) <= 150.5 ORDER BY customer_id
-- @ci
SELECT label, MIN(weight) FROM tag GROUP BY label HAVING MIN(weight) <> 3 AND 2 < COUNT(*)

-- GROUP BY expressions over a scatter
SELECT YEAR(created), COUNT(*) FROM customer GROUP BY YEAR(created) ORDER BY YEAR(created)
SELECT customer_id % 3 AS m, COUNT(*) AS n, SUM(balance) FROM customer GROUP BY customer_id % 3 ORDER BY m
SELECT COUNT(*) AS n FROM corder GROUP BY qty > 5 HAVING n > 0 ORDER BY n

-- COUNT(DISTINCT x) over a scatter: the shards group by x too, the gate counts the distinct values (collation through weight strings, NULLs skipped)
SELECT COUNT(DISTINCT region) FROM customer
SELECT COUNT(DISTINCT name), COUNT(DISTINCT name) AS again, COUNT(*) FROM customer
SELECT COUNT(DISTINCT score) FROM customer WHERE customer_id < 0
SELECT COUNT(DISTINCT sku) FROM corder WHERE qty > 1000
SELECT customer_id, COUNT(DISTINCT sku), COUNT(*), SUM(qty), AVG(price), MAX(price) FROM corder GROUP BY customer_id ORDER BY customer_id
-- @ci
SELECT region, COUNT(DISTINCT score), MIN(name) FROM customer GROUP BY region
SELECT sku, COUNT(DISTINCT customer_id) AS c FROM corder GROUP BY sku HAVING c > 1 ORDER BY c DESC, sku LIMIT 5
SELECT qty, COUNT(DISTINCT price) FROM corder GROUP BY qty ORDER BY COUNT(DISTINCT price), qty
SELECT COUNT(DISTINCT balance), SUM(balance) FROM customer WHERE score > 50
SELECT COUNT(DISTINCT LOWER(email)) FROM customer
SELECT YEAR(created) AS y, COUNT(DISTINCT region) FROM customer GROUP BY YEAR(created) ORDER BY y
SELECT SUM(DISTINCT score), AVG(DISTINCT score), COUNT(DISTINCT score) FROM customer
SELECT sku, qty, SUM(DISTINCT price), AVG(DISTINCT price), COUNT(*) FROM corder GROUP BY sku, qty ORDER BY sku, qty
SELECT customer_id, AVG(DISTINCT price) AS a FROM corder GROUP BY customer_id HAVING a > 20 ORDER BY a DESC, customer_id LIMIT 10
SELECT SUM(DISTINCT balance), AVG(DISTINCT balance) FROM customer WHERE customer_id < 0

-- the unsharded keyspace
-- @keyspace commerce
SELECT sku FROM product WHERE price > 100 UNION ALL SELECT sku FROM customer.corder WHERE order_id < 20
SELECT sku, title FROM product WHERE sku IN (SELECT sku FROM customer.corder WHERE qty > 9) ORDER BY sku
SELECT sku FROM product WHERE price > (SELECT MAX(price) FROM customer.corder WHERE customer_id = 3) ORDER BY sku
SELECT o.order_id, o.sku, p.title, p.price FROM customer.corder o JOIN product p ON p.sku = o.sku WHERE o.customer_id IN (1, 2, 3, 4, 5, 6, 7, 8) AND p.price > 50 ORDER BY o.order_id
SELECT o.order_id, p.category FROM customer.corder o LEFT JOIN product p ON p.sku = o.sku AND p.stock > 10 WHERE o.customer_id = 12 ORDER BY o.order_id
SELECT p.sku, c.customer_id, c.name FROM product p JOIN customer.customer c ON c.customer_id = p.stock ORDER BY p.sku
SELECT c.customer_id, p.title FROM customer.customer c JOIN product p ON p.sku = c.name
SELECT o.sku, p.title FROM customer.corder o LEFT JOIN product p ON p.sku = o.sku WHERE o.order_id BETWEEN 100 AND 140 ORDER BY o.order_id
SELECT sku, title, price FROM product ORDER BY sku
SELECT category, COUNT(*), AVG(price), SUM(stock) FROM product GROUP BY category ORDER BY category
SELECT sku, title FROM product WHERE price > (SELECT AVG(price) FROM product) ORDER BY sku
SELECT p.category, r.zone FROM product p JOIN region_ref r ON r.region = p.made_in ORDER BY p.sku
SELECT category FROM product UNION SELECT zone FROM region_ref
SELECT category, COUNT(*) FROM product GROUP BY category HAVING COUNT(*) > 3
SELECT COUNT(DISTINCT category), SUM(price * stock) / COUNT(*) FROM product
SELECT sku FROM product WHERE stock IS NULL OR stock = 0 ORDER BY sku
-- @ci
SELECT sku FROM product UNION SELECT sku FROM customer.corder WHERE order_id < 40
-- @ci
SELECT category FROM product UNION SELECT region FROM customer.customer ORDER BY 1
