-- How a subscription's requests are sent: the HTTP method, the signature scheme
-- ({"scheme": …, "header": …, "prefix": …}) and the names of Herald's per-delivery headers
-- ({"eventType": …, "deliveryId": …, "attempt": …}, "" for a dropped one; absent: the default).
-- and the body's format ('standard': Herald's envelope; 'data': the event's data alone).
-- Existing subscriptions keep today's POST, Standard Webhooks, herald-* names and envelope.
ALTER TABLE subscriptions
  ADD COLUMN method text NOT NULL DEFAULT 'POST' CHECK (method IN ('POST', 'PUT')),
  ADD COLUMN signature jsonb NOT NULL DEFAULT '{"scheme": "standard-webhooks"}',
  ADD COLUMN header_names jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN body_format text NOT NULL DEFAULT 'standard' CHECK (body_format IN ('standard', 'data'));

-- A tenant's defaults for new subscriptions: any of method, signature, headerNames and body, as
-- PUT /v1/subscription-defaults took them; a new subscription that does not name a field takes it.
ALTER TABLE tenants ADD COLUMN subscription_defaults jsonb NOT NULL DEFAULT '{}';
