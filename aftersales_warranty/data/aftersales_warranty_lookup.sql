-- Warranty lookup: everything one call of aftersales.warranty.lookup_many() needs, in one round trip.
--
-- Created by AftersalesWarranty.init(). A PL/pgSQL function rather than a query sent by Python because
-- PostgreSQL keeps the plan of its statement for the life of the connection: planning this query costs
-- more than running it (about 1 ms against 0.5 ms with a million cards), and a lookup must answer in
-- a few milliseconds. Record rules are not applied here: the caller keeps only the card rows that pass
-- them (see _lookup_fetch).
--
-- A plan that cannot degrade as the tables grow. The plan is made once per connection, maybe while the
-- tables are nearly empty, and kept until the next ANALYZE of one of them. So it must not depend on their
-- size: no table is joined to another or to the list of codes (where the planner would pick a hash join
-- reading a small table whole, and keep reading it whole once it holds a million rows). Each table is read
-- through an index condition on an array ("name = ANY(p_codes)", "id = ANY(ARRAY(...))": one index probe
-- per value) or by key in a correlated subquery (one probe per row), and sequential scans are disabled
-- for the function (SET enable_seqscan), which a planner may otherwise choose for a table of a few pages.
-- tests/test_lookup.py (TestLookupPlan) grows the tables under a cached plan and checks that no table is
-- read sequentially.
--
-- Rows, one per
--   'lot'     product serial whose upper-cased name is a code: id, name, product, current card in card_ids
--             (the latest card not void);
--   'product' product whose upper-cased internal reference or barcode is a code: id, latest cards of the
--             product (of the customer p_partner and its contacts when given) in card_ids, newest first, at
--             most :max_cards (written in by init(): with a parameter, the shared plan would assume a
--             tenth of the rows and walk the whole table in id order);
--   'card'    card named by a code, or listed in card_ids above: code is the card number, name its
--             serial's name;
--   'label'   product of a row above: id, and in label its '[reference] name' in the language p_lang.
CREATE OR REPLACE FUNCTION aftersales_warranty_lookup(
    p_codes varchar[], p_companies int[], p_partner int, p_lang varchar)
RETURNS TABLE (
    kind text, code varchar, id int, product_id int, name varchar, card_ids int[], label text,
    lot_id int, partner_id int, state varchar, date_start date, date_end date, date_grace_end date)
LANGUAGE plpgsql STABLE
-- one plan for every call: the codes are always probed one by one through indexes (see above)
SET plan_cache_mode = force_generic_plan
-- and that plan reads every table through an index, in the index's order (see above)
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_sort = off
-- which adds 10^10 to the cost of any other plan: without this, the cost would call for JIT compilation,
-- 4 s at each new connection
SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    v_owners int[];  -- the customer and its contacts
BEGIN
    IF p_partner IS NOT NULL THEN
        SELECT COALESCE(array_agg(c.id), '{}') INTO v_owners
          FROM res_partner c
         WHERE c.commercial_partner_id = (SELECT p.commercial_partner_id FROM res_partner p WHERE p.id = p_partner);
    END IF;
    RETURN QUERY
    -- every code is probed through an index condition "= ANY(p_codes)": no join with the list of codes,
    -- so no join method for the planner to choose from the size of the tables (see the header)
    WITH lots AS (
        SELECT upper(l.name)::varchar AS code, l.id, l.name, l.product_id,
               (SELECT w.id FROM aftersales_warranty w
                 WHERE w.lot_id = l.id AND w.company_id = ANY(p_companies)
                 ORDER BY (w.state = 'void'), w.id DESC LIMIT 1) AS card_id
          FROM stock_lot l
         WHERE upper(l.name) = ANY(p_codes)
           AND COALESCE(l.company_id = ANY(p_companies), TRUE)
    ), products AS (
        -- the latest cards, through the partial indexes on (product, -id, company) and (product, partner,
        -- id, company). Ordered on -id: only that index offers this order, so the shared plan cannot
        -- prefer reading the primary key backwards, which looks cheap for a common product and reads the
        -- whole table for a rare one (ordered on id, it did so once the table had changed since VACUUM)
        SELECT m.code, m.id,
               CASE WHEN v_owners IS NULL THEN ARRAY(
                   SELECT w.id FROM aftersales_warranty w
                    WHERE w.product_id = m.id AND w.state != 'void' AND w.company_id = ANY(p_companies)
                    ORDER BY -w.id LIMIT :max_cards)
               ELSE ARRAY(
                   -- owner by owner, so that each index read stops after its latest cards (an agency
                   -- holds tens of thousands of cards of one product)
                   SELECT o.id FROM unnest(v_owners) AS owner(id)
                    CROSS JOIN LATERAL (
                        SELECT w.id FROM aftersales_warranty w
                         WHERE w.product_id = m.id AND w.partner_id = owner.id AND w.state != 'void'
                           AND w.company_id = ANY(p_companies)
                         ORDER BY w.id DESC LIMIT :max_cards) o
                    ORDER BY o.id DESC LIMIT :max_cards)
               END AS card_ids
          FROM (SELECT upper(p.default_code)::varchar AS code, p.id FROM product_product p
                 WHERE upper(p.default_code) = ANY(p_codes) AND p.active
                UNION
                SELECT p.barcode, p.id FROM product_product p
                 WHERE p.barcode = ANY(p_codes) AND p.active) m
    ), cards AS (
        SELECT w.id FROM aftersales_warranty w
         WHERE w.name = ANY(p_codes) AND w.company_id = ANY(p_companies)
        UNION
        SELECT card_id FROM lots WHERE card_id IS NOT NULL
        UNION
        SELECT unnest(card_ids) FROM products
    ), found AS (
        SELECT 'lot' AS kind, code, id, product_id, name, ARRAY[card_id] AS card_ids,
               NULL::int AS lot_id, NULL::int AS partner_id, NULL::varchar AS state,
               NULL::date AS date_start, NULL::date AS date_end, NULL::date AS date_grace_end
          FROM lots
        UNION ALL
        SELECT 'product', code, id, id, NULL, card_ids, NULL, NULL, NULL, NULL, NULL, NULL
          FROM products
        UNION ALL
        SELECT 'card', w.name, w.id, w.product_id, (SELECT l.name FROM stock_lot l WHERE l.id = w.lot_id), NULL,
               w.lot_id, w.partner_id, w.state, w.date_start, w.date_end, w.date_grace_end
          FROM aftersales_warranty w
         WHERE w.id = ANY(ARRAY(SELECT c.id FROM cards c))
    )
    SELECT f.kind, f.code, f.id, f.product_id, f.name, f.card_ids, NULL::text,
           f.lot_id, f.partner_id, f.state, f.date_start, f.date_end, f.date_grace_end
      FROM found f
    UNION ALL
    SELECT 'label', NULL, p.id, p.id, NULL, NULL,
           CASE WHEN p.default_code IS NOT NULL THEN '[' || p.default_code || '] ' ELSE '' END
           || (SELECT COALESCE(t.name->>p_lang, t.name->>'en_US') FROM product_template t WHERE t.id = p.product_tmpl_id),
           NULL, NULL, NULL, NULL, NULL, NULL
      FROM product_product p
     WHERE p.id = ANY(ARRAY(SELECT DISTINCT f.product_id FROM found f WHERE f.product_id IS NOT NULL));
END
$$;
