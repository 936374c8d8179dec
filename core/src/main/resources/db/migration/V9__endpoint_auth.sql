-- The credentials an endpoint demands besides the signature ({"type": "basic", "username": …}
-- or {"type": "bearer"}), with their secret parts (password, token) sealed like signing secrets
-- under "sealed": {"password": "hsec:v1:…"}. Existing subscriptions have none.
ALTER TABLE subscriptions ADD COLUMN auth jsonb NOT NULL DEFAULT '{"type": "none"}';
