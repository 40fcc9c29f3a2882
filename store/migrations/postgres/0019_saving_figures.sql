-- +goose Up
-- The money-saved report (app.Savings) reads, per live adoption, the
-- figures its saving needs from columns, so that it never decodes the
-- adoptions' and solutions' JSON: the adopter's spent and planned amounts
-- in rupiah (NULL when unknown, never 0), the solution's cost to build
-- (0: unknown) and whether either is synthetic demo data. Every write keeps
-- them equal to data; rows written before take them from data here. The
-- NUL escapes become U+FFFD first: jsonb (and json's operators) refuse a
-- document with \u0000, and only numbers and flags are read. (Where the
-- text is an escaped backslash before "u0000", the replacement leaves
-- valid JSON too.)
ALTER TABLE adoptions ADD COLUMN spent_idr BIGINT;
ALTER TABLE adoptions ADD COLUMN planned_idr BIGINT;
ALTER TABLE adoptions ADD COLUMN synthetic BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE solutions ADD COLUMN cost_build_idr BIGINT NOT NULL DEFAULT 0;
ALTER TABLE solutions ADD COLUMN synthetic BOOLEAN NOT NULL DEFAULT false;
UPDATE adoptions a SET spent_idr = (d.j -> 'budget_spent' ->> 'idr')::bigint,
    planned_idr = (d.j -> 'budget_planned' ->> 'idr')::bigint,
    synthetic = coalesce((d.j ->> 'synthetic')::boolean, false)
FROM (SELECT id, replace(data, '\u0000', '\ufffd')::jsonb AS j FROM adoptions) d WHERE d.id = a.id;
UPDATE solutions s SET cost_build_idr = coalesce((d.j -> 'cost_build' ->> 'idr')::bigint, 0),
    synthetic = coalesce((d.j ->> 'synthetic')::boolean, false)
FROM (SELECT id, replace(data, '\u0000', '\ufffd')::jsonb AS j FROM solutions) d WHERE d.id = s.id;
-- The report reads the live adoptions of a scope (the nation, a province's
-- range of adopter regions, a region) and their solutions' figures from
-- these indexes alone (index-only scans).
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
