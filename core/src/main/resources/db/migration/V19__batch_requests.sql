-- What a batch sends, fixed when its first attempt is recorded, as delivery_requests is for one
-- delivery: the wire format it was built with and the body bytes (NULL for format 'standard':
-- the members' stored payloads, which never change). Every later attempt sends these same bytes
-- the same way, whatever happens to the subscription's format or template meanwhile. All NULL
-- until the first attempt.
ALTER TABLE batches
    ADD COLUMN request_method       text,
    ADD COLUMN request_signature    jsonb,
    ADD COLUMN request_header_names jsonb,
    ADD COLUMN request_body_format  text,
    ADD COLUMN request_body         bytea,
    ADD CONSTRAINT batches_request_whole
        CHECK ((request_method IS NULL) = (request_signature IS NULL)
               AND (request_method IS NULL) = (request_header_names IS NULL)
               AND (request_method IS NULL) = (request_body_format IS NULL));
