-- The calendar feed's addresses (their hashes), the active one first, then the newest.
with final as (
    select token_hash, created_at, created_by, revoked_at, revoked_by, revoked_at is null as active
    from feed_tokens
)

select * from final
order by active desc, created_at desc
