-- Where a call waits in the pipeline and where its audio is, for the read side. (The agents table of
-- V1 is now written too, from tenants.agents.v1.)
--
-- call_retries: the latest retry of each call (the work item of calls.retry.{30s,5m,1h}.v1): the
-- tier, the stage that failed, when it may run again and every failed try so far. A call's state is
-- whichever of its completion, its latest retry and its dead letters happened last, so a retry
-- row is never deleted; an older retry (a replay) never replaces a newer one.
CREATE TABLE call_retries (
  call_id     uuid PRIMARY KEY,
  tenant_id   text,
  tier        text NOT NULL,
  stage       text NOT NULL,
  attempt     int NOT NULL,
  due_at      timestamptz,
  failed_at   timestamptz NOT NULL,
  errors      jsonb NOT NULL
);
CREATE INDEX call_retries_tenant ON call_retries (tenant_id, due_at);

-- recordings: each recording event of recordings.uploaded.v1 (its tenant may not be known at
-- ingest; the read side takes the tenant from the call's row).
CREATE TABLE recordings (
  call_id       uuid NOT NULL,
  event_id      text NOT NULL,
  recording_id  text,
  audio_url     text NOT NULL,
  format        text NOT NULL,
  duration_ms   bigint,
  channels      int,
  size_bytes    bigint,
  received_at   timestamptz NOT NULL,
  PRIMARY KEY (call_id, event_id)
);

