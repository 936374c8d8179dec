-- Body formats beyond 'standard' and 'data': 'template' (a JSONata expression of the
-- subscription's own, in body_template) and Herald's built-in target formats ('slack', …, named
-- templates that ship with Herald, so the list lives in the code, not here).
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_body_format_check;
ALTER TABLE subscriptions
  ADD COLUMN body_template text,
  ADD CONSTRAINT subscriptions_body_format_check
    CHECK (body_format ~ '^[a-z]+$' AND (body_format = 'template') = (body_template IS NOT NULL));

-- What a delivery sends, fixed when its first attempt is built: the wire format it was built
-- with and the body bytes (NULL for format 'standard': the event's stored payload, which never
-- changes). Every later attempt, a manual retry included, sends these same bytes the same way,
-- whatever happens to the subscription's format or template meanwhile; the URL, the custom
-- headers and the signing secrets stay the subscription's current ones.
CREATE TABLE delivery_requests (
    delivery_id   text PRIMARY KEY REFERENCES deliveries (id),
    method        text NOT NULL,
    signature     jsonb NOT NULL,
    header_names  jsonb NOT NULL,
    body_format   text NOT NULL,
    body          bytea,
    built_at      timestamptz NOT NULL
);
