-- +goose Up
-- K8: a solution's row keeps in data every member of its JSON but those
-- in columns (id, adoptions, version, created_at, updated_at), so that the
-- API's item answer is spliced from the columns and data without decoding
-- it (store.solutionJSON). Rows written before keep the whole solution,
-- its ID first: drop those members. A document with a NUL character
-- (which jsonb refuses) stays as it is: it is read the slow way. The
-- versions keep whole solutions.
UPDATE solutions SET data = (data::jsonb - 'id' - 'adoptions' - 'version' - 'created_at' - 'updated_at')::text
WHERE data LIKE '{"id":%' AND strpos(data, '\u0000') = 0;

-- +goose Down
SELECT 1;
