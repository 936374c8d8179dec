-- Mutual-TLS client certificates ({"type": "mtls", …} in auth): the leaf's notAfter and SHA-256
-- fingerprint beside the auth column, so that the sweeper finds the certificates about to expire
-- without reading every auth, and the fingerprint whose owner was told, so that each certificate
-- is noticed once (a new certificate has another fingerprint, and is noticed again in its turn).
ALTER TABLE subscriptions
    ADD COLUMN certificate_expires_at timestamptz,
    ADD COLUMN certificate_fingerprint text,
    ADD COLUMN certificate_noticed text;

CREATE INDEX subscriptions_certificate_expiry ON subscriptions (certificate_expires_at)
    WHERE certificate_expires_at IS NOT NULL AND deleted_at IS NULL;

ALTER TABLE notifications DROP CONSTRAINT notifications_type_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_type_check
    CHECK (type IN ('subscription.failing', 'subscription.disabled',
                    'subscription.certificate_expiring'));
