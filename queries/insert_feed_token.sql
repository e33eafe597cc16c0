insert into feed_tokens
with final as (
    select
        cast($token_hash as varchar) as token_hash,
        cast($created_at as timestamp) as created_at,
        cast($created_by as varchar) as created_by,
        cast(null as timestamp) as revoked_at,
        cast(null as varchar) as revoked_by
)

select * from final
order by token_hash
