-- +goose Up
-- K8: a solution's row keeps in data every member of its JSON but those
-- in columns (id, adoptions, version, created_at, updated_at), so that the
-- API's item answer is spliced from the columns and data without decoding
-- it (store.solutionJSON). Rows written before keep the whole solution,
-- its ID first: drop those members. The versions keep whole solutions.
UPDATE solutions SET data = json_remove(data, '$.id', '$.adoptions', '$.version', '$.created_at', '$.updated_at')
WHERE data LIKE '{"id":%';

-- +goose Down
SELECT 1;
