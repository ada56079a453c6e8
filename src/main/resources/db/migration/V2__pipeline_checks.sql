-- A READY pipeline's resources are checked again now and then, and the pipeline stays READY while
-- they are; the history is read newest first, a page at a time, and pruned. Plain SQL that H2 2.x
-- and PostgreSQL both run unchanged.

-- when the check under way started (NULL: none is), and when the last one ended
ALTER TABLE pipeline ADD COLUMN check_started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE pipeline ADD COLUMN checked_at TIMESTAMP WITH TIME ZONE;
UPDATE pipeline SET checked_at = verified_at;

-- whether a check had to create this step's resource again (its failure then fails the pipeline)
ALTER TABLE pipeline_step ADD COLUMN recreated BOOLEAN DEFAULT FALSE NOT NULL;

-- the history in the order it was written, newest first for a page
CREATE INDEX pipeline_event_order_ix ON pipeline_event (pipeline_id, id);
