-- +goose Up
-- Matchmaking reads which region has an open adoption (not declined, not
-- stopped) of which solution at every rebuild (store.EachOpenAdoption).
-- The partial unique index adoptions_open holds those rows but not, for
-- SQLite, the columns of its condition, so the read fetched every row and
-- its JSON: 3.5 s of a 15 s national rebuild. This index answers it alone.
CREATE INDEX adoptions_open_pairs ON adoptions (adopter_region, solution_id, state, stage)
    WHERE state <> 'declined' AND stage <> 'stopped';

-- +goose Down
DROP INDEX adoptions_open_pairs;
