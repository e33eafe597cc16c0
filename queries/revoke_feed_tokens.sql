update feed_tokens
set revoked_at = cast($revoked_at as timestamp), revoked_by = $revoked_by
where revoked_at is null
