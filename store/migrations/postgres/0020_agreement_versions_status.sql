-- +goose Up
-- Which version of an agreement is public (the newest that is not a draft,
-- store/agreements.go latestPublic) and its status, from the index alone:
-- the versions' rows hold the whole content as JSON, and the home page's
-- count of the public agreements by status read them all, 0.8-1 s a view
-- at 20,000 agreements (K8).
CREATE INDEX agreement_versions_status ON agreement_versions (agreement_id, version, status);

-- +goose Down
DROP INDEX agreement_versions_status;
