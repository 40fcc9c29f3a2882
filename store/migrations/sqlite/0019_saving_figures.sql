-- +goose Up
-- The money-saved report (app.Savings) reads, per live adoption, the
-- figures its saving needs from columns, so that it never decodes the
-- adoptions' and solutions' JSON: the adopter's spent and planned amounts
-- in rupiah (NULL when unknown, never 0), the solution's cost to build
-- (0: unknown) and whether either is synthetic demo data. Every write keeps
-- them equal to data; rows written before take them from data here.
ALTER TABLE adoptions ADD COLUMN spent_idr INTEGER;
ALTER TABLE adoptions ADD COLUMN planned_idr INTEGER;
ALTER TABLE adoptions ADD COLUMN synthetic BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE solutions ADD COLUMN cost_build_idr INTEGER NOT NULL DEFAULT 0;
ALTER TABLE solutions ADD COLUMN synthetic BOOLEAN NOT NULL DEFAULT 0;
UPDATE adoptions SET spent_idr = json_extract(data, '$.budget_spent.idr'),
    planned_idr = json_extract(data, '$.budget_planned.idr'),
    synthetic = coalesce(json_extract(data, '$.synthetic'), 0) <> 0;
UPDATE solutions SET cost_build_idr = coalesce(json_extract(data, '$.cost_build.idr'), 0),
    synthetic = coalesce(json_extract(data, '$.synthetic'), 0) <> 0;
-- The report reads the live adoptions of a scope (the nation, a province's
-- range of adopter regions, a region) and their solutions' figures from
-- these indexes alone: the columns added here follow data in the rows, and
-- reaching them there reads every row's JSON from its overflow pages.
-- (state and stage, in the partial index's condition, are columns too:
-- without them SQLite does not count the index as covering.)
CREATE INDEX adoptions_live_figures ON adoptions (adopter_region, id, solution_id, spent_idr, planned_idr, synthetic, state, stage)
    WHERE state = 'accepted' AND stage <> 'stopped';
CREATE INDEX solutions_figures ON solutions (id, cost_build_idr, synthetic);

-- +goose Down
DROP INDEX solutions_figures;
DROP INDEX adoptions_live_figures;
ALTER TABLE solutions DROP COLUMN synthetic;
ALTER TABLE solutions DROP COLUMN cost_build_idr;
ALTER TABLE adoptions DROP COLUMN synthetic;
ALTER TABLE adoptions DROP COLUMN planned_idr;
ALTER TABLE adoptions DROP COLUMN spent_idr;
