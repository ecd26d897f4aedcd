-- What a tenant's analysis plan produced: one result per evaluation criterion, and the plan's
-- version; the extracted data lives in the existing extracted column. The query API filters on
-- both, always within one tenant.
ALTER TABLE calls ADD COLUMN evaluation jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE calls ADD COLUMN plan_version text;
CREATE INDEX calls_evaluation ON calls USING gin (evaluation jsonb_path_ops);
CREATE INDEX calls_extracted ON calls USING gin (extracted jsonb_path_ops);
