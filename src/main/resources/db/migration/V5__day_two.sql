-- Day two: a pipeline changes in place (its spec is the desired state, at a generation the
-- reconciler reports having applied), owns only the resources tagged with its id, and keeps its
-- clicks when deleted unless they are purged. Plain SQL that H2 2.x and PostgreSQL both run unchanged.

-- the pipeline's own id, tagged on every resource it creates (clicklog:pipeline-id); existing
-- pipelines get a fixed one made of their row id
ALTER TABLE pipeline ADD COLUMN pipeline_uid VARCHAR(36);
UPDATE pipeline SET pipeline_uid = '00000000-0000-4000-8000-' || LPAD(CAST(id AS VARCHAR(12)), 12, '0');
ALTER TABLE pipeline ALTER COLUMN pipeline_uid SET NOT NULL;
-- pipelines created before resources carried the id keep what carries their name tags
ALTER TABLE pipeline ADD COLUMN adopts_untagged BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE pipeline SET adopts_untagged = TRUE;

-- the desired spec's generation, and the one every resource was last brought to (0: never READY)
ALTER TABLE pipeline ADD COLUMN generation BIGINT DEFAULT 1 NOT NULL;
ALTER TABLE pipeline ADD COLUMN observed_generation BIGINT DEFAULT 0 NOT NULL;
UPDATE pipeline SET observed_generation = 1 WHERE verified_at IS NOT NULL;

-- the ingest API's stage throttling (NULL: the portal's default) and the clicks a team expects
ALTER TABLE pipeline ADD COLUMN stage_rate_limit INTEGER;
ALTER TABLE pipeline ADD COLUMN stage_burst_limit INTEGER;
ALTER TABLE pipeline ADD COLUMN expected_clicks_per_second DOUBLE PRECISION;

-- teardown keeps the clicks unless purged; what became of a DELETED pipeline's clicks (KEPT,
-- PURGED, ADOPTED); pipelines deleted before were deleted with their bucket
ALTER TABLE pipeline ADD COLUMN purge BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE pipeline ADD COLUMN clicks VARCHAR(8);
UPDATE pipeline SET clicks = 'PURGED' WHERE status = 'DELETED';
-- when teardown closed the ingest API: Firehose delivers what it holds before its stream goes
ALTER TABLE pipeline ADD COLUMN ingest_closed_at TIMESTAMP WITH TIME ZONE;

-- whether a step's own create call made its resource: a resource an endpoint created without the
-- pipeline's tags is still the pipeline's, and gets them
ALTER TABLE pipeline_step ADD COLUMN created BOOLEAN DEFAULT FALSE NOT NULL;
