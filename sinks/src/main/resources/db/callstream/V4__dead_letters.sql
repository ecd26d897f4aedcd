-- The dead letters of calls.dlt.v1, one row per entry (its place in the topic is its id, as in
-- `callstream dlt`), and the redrive marks of dlt.redriven.v1 beside them: two tables, so a mark
-- that lands before its entry is kept, and replaying either topic changes nothing.
CREATE TABLE dead_letters (
  dlt_partition     int NOT NULL,
  dlt_offset        bigint NOT NULL,
  call_id           uuid NOT NULL,
  tenant_id         text,
  event_id          text NOT NULL,
  reason            text NOT NULL,
  stage             text NOT NULL,
  attempts          int NOT NULL,
  redrives          int NOT NULL,
  errors            jsonb NOT NULL,
  source_topic      text,
  source_partition  int,
  source_offset     bigint,
  dead_lettered_at  timestamptz NOT NULL,
  PRIMARY KEY (dlt_partition, dlt_offset)
);
CREATE INDEX dead_letters_tenant ON dead_letters (tenant_id, reason, stage);
CREATE INDEX dead_letters_call ON dead_letters (call_id);

CREATE TABLE dead_letter_redrives (
  dlt_partition  int NOT NULL,
  dlt_offset     bigint NOT NULL,
  redriven_at    timestamptz NOT NULL,
  PRIMARY KEY (dlt_partition, dlt_offset)
);
