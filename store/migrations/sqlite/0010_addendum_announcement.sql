-- +goose Up
-- announced: the parties show publicly that this draft version (an
-- addendum) is in preparation; readers of the signed version see a note.
ALTER TABLE agreement_versions ADD COLUMN announced INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE agreement_versions DROP COLUMN announced;
