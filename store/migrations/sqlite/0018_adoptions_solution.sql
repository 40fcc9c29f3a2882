-- +goose Up
-- The recount of a solution's adoptions (store/adoptions.go,
-- recountAdoptions) reads the adoptions of one solution: without this index
-- SQLite scans every adoption on each adoption written (the partial index
-- adoptions_open does not serve state = 'accepted'), which made loading
-- 200,000 adoptions quadratic.
CREATE INDEX adoptions_solution ON adoptions (solution_id);

-- +goose Down
DROP INDEX adoptions_solution;
