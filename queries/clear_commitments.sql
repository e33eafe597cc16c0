delete from commitments
