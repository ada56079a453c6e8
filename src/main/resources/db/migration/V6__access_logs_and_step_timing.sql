-- Each pipeline's stage writes access logs into a CloudWatch Logs log group of its own (a new step,
-- ACCESS_LOGS, after the ingest API); each step records when it started and, after a failed attempt,
-- how many attempts it has. Plain SQL that H2 2.x and PostgreSQL both run unchanged.

-- the log group's name, once the step found or created it
ALTER TABLE pipeline ADD COLUMN log_group VARCHAR(512);

-- when the step's current run began (NULL: not started), and its attempt budget once an attempt failed
ALTER TABLE pipeline_step ADD COLUMN started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE pipeline_step ADD COLUMN attempt_budget INTEGER;

-- every pipeline gets the new step: still to do (and, for a READY one, done by its next check, which
-- is made due now), or nothing left to do for a deleted pipeline
INSERT INTO pipeline_step (pipeline_id, kind, position, state, attempts, polls, updated_at, recreated)
SELECT p.id, 'ACCESS_LOGS', 5, CASE WHEN p.status = 'DELETED' THEN 'DONE' ELSE 'PENDING' END, 0, 0, p.updated_at, FALSE
FROM pipeline p
WHERE NOT EXISTS (SELECT 1 FROM pipeline_step s WHERE s.pipeline_id = p.id AND s.kind = 'ACCESS_LOGS');

UPDATE pipeline SET checked_at = NULL WHERE status = 'READY' AND check_started_at IS NULL;
