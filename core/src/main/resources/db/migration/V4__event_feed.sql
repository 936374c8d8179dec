-- The polling feed (GET /v1/events): every event gets a position in its tenant's feed, taken by
-- the last statement of the publishing transaction from tenants.event_seq. The row lock on the
-- tenant is held until commit, so positions follow commit order and have no gaps, and a reader
-- that has seen position n has seen every position before it.
ALTER TABLE tenants ADD COLUMN event_seq bigint NOT NULL DEFAULT 0;

-- Null only inside the publishing transaction, between the insert and the position.
ALTER TABLE events ADD COLUMN seq bigint;

-- Events published before the feed existed take positions in the order they were created.
UPDATE events e SET seq = numbered.seq
FROM (SELECT tenant_id, id,
             row_number() OVER (PARTITION BY tenant_id ORDER BY created_at, id) AS seq
      FROM events) numbered
WHERE e.tenant_id = numbered.tenant_id AND e.id = numbered.id;

UPDATE tenants t SET event_seq = last.seq
FROM (SELECT tenant_id, max(seq) AS seq FROM events GROUP BY tenant_id) last
WHERE t.id = last.tenant_id;

CREATE UNIQUE INDEX events_feed ON events (tenant_id, seq);
