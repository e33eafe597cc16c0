-- Whether a token's hash names the active feed address (none when the feed is off or revoked).
with final as (
    select count(*) as matches
    from feed_tokens
    where token_hash = $token_hash and revoked_at is null
)

select * from final
order by matches
