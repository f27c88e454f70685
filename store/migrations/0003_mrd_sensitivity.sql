-- 0003 MRD sensitivity: each qPCR result of lsc mrd assess (measurements.tsv)
-- carries its sample as the ELN milestones grade it (replicate rows summed,
-- Cross 2015): sample_value, the sample's level, and detection_limit, the
-- level one target copy would give (the sensitivity), both in the result's
-- unit (IS % on the International Scale, else ratio %). An undetectable
-- sample meets a milestone when its detection limit is at or below the
-- milestone's optimal level (ELN 2020 Table 5). NULL for other results and
-- for runs imported before this migration.
ALTER TABLE results ADD COLUMN detection_limit {{REAL}};
ALTER TABLE results ADD COLUMN sample_value {{REAL}};
