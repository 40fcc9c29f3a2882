-- +goose Up
-- The money-saved report (app.Savings) reads, per live adoption, the
-- figures its saving needs from columns, so that it never decodes the
-- adoptions' and solutions' JSON: the adopter's spent and planned amounts
-- in rupiah (NULL when unknown, never 0), the solution's cost to build
-- (0: unknown) and whether either is synthetic demo data. Every write keeps
-- them equal to data; rows written before take them from data here (as
-- json, not jsonb, which refuses a document with a NUL character).
ALTER TABLE adoptions ADD COLUMN spent_idr BIGINT;
ALTER TABLE adoptions ADD COLUMN planned_idr BIGINT;
ALTER TABLE adoptions ADD COLUMN synthetic BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE solutions ADD COLUMN cost_build_idr BIGINT NOT NULL DEFAULT 0;
ALTER TABLE solutions ADD COLUMN synthetic BOOLEAN NOT NULL DEFAULT false;
UPDATE adoptions SET spent_idr = (data::json -> 'budget_spent' ->> 'idr')::bigint,
    planned_idr = (data::json -> 'budget_planned' ->> 'idr')::bigint,
    synthetic = coalesce((data::json ->> 'synthetic')::boolean, false);
UPDATE solutions SET cost_build_idr = coalesce((data::json -> 'cost_build' ->> 'idr')::bigint, 0),
    synthetic = coalesce((data::json ->> 'synthetic')::boolean, false);
-- The report reads the live adoptions of a scope (the nation, a province's
-- range of adopter regions, a region) and their solutions' figures from
-- these indexes alone (index-only scans).
CREATE INDEX adoptions_live_figures ON adoptions (adopter_region, id, solution_id, spent_idr, planned_idr, synthetic)
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
