-- callstream's Postgres schema. Every table is written idempotently: rows carry the version of the
-- call state they came from, and an older version never overwrites a newer one.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE tenants (
  tenant_id   text PRIMARY KEY,
  name        text,
  time_zone   text NOT NULL DEFAULT 'UTC',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
  agent_id    text PRIMARY KEY,
  tenant_id   text NOT NULL,
  provider    text,
  name        text,
  time_zone   text,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX agents_tenant ON agents (tenant_id);

CREATE TABLE calls (
  call_id            uuid PRIMARY KEY,
  tenant_id          text NOT NULL,
  agent_id           text,
  provider           text NOT NULL,
  provider_call_id   text NOT NULL,
  version            bigint NOT NULL,
  direction          text NOT NULL,
  status             text NOT NULL,
  started_at         timestamptz,
  ended_at           timestamptz NOT NULL,
  duration_ms        bigint,
  parties            jsonb NOT NULL DEFAULT '[]',
  title              text,
  summary            text,
  sentiment          text NOT NULL,
  sentiment_score    double precision,
  speaker_sentiments jsonb NOT NULL DEFAULT '[]',
  success            text NOT NULL,
  success_reason     text,
  callback           jsonb,
  topics             text[] NOT NULL DEFAULT '{}',
  action_items       text[] NOT NULL DEFAULT '{}',
  extracted          jsonb,
  transcript_source  text,
  pii_redacted       boolean NOT NULL DEFAULT false,
  analyzer           text NOT NULL,
  model              text NOT NULL,
  prompt_version     text NOT NULL,
  input_tokens       bigint NOT NULL DEFAULT 0,
  output_tokens      bigint NOT NULL DEFAULT 0,
  audio_ms           bigint NOT NULL DEFAULT 0,
  cost_usd           double precision NOT NULL DEFAULT 0,
  enriched_at        timestamptz NOT NULL,
  written_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_tenant_ended ON calls (tenant_id, ended_at DESC);

CREATE TABLE transcripts (
  call_id         uuid PRIMARY KEY,
  tenant_id       text NOT NULL,
  recording_id    text,
  language        text,
  duration_ms     bigint,
  text            text NOT NULL,
  segments        jsonb NOT NULL,
  model           text NOT NULL,
  transcribed_at  timestamptz NOT NULL
);

CREATE TABLE callbacks (
  callback_id   uuid PRIMARY KEY,
  call_id       uuid NOT NULL,
  tenant_id     text NOT NULL,
  agent_id      text,
  phone_number  text,
  due_at        timestamptz NOT NULL,
  time_zone     text NOT NULL,
  reason        text,
  phrase        text,
  state         text NOT NULL,
  version       bigint NOT NULL,
  created_at    timestamptz NOT NULL
);
CREATE INDEX callbacks_due ON callbacks (tenant_id, state, due_at);
CREATE INDEX callbacks_call ON callbacks (call_id);

CREATE TABLE documents (
  call_id         uuid PRIMARY KEY,
  tenant_id       text NOT NULL,
  version         bigint NOT NULL,
  title           text NOT NULL,
  markdown        text NOT NULL,
  model           text NOT NULL,
  prompt_version  text NOT NULL,
  generated_at    timestamptz NOT NULL
);

CREATE TABLE tenant_stats (
  tenant_id          text NOT NULL,
  window_start       timestamptz NOT NULL,
  window_end         timestamptz NOT NULL,
  calls              bigint NOT NULL,
  total_duration_ms  bigint NOT NULL,
  positive           bigint NOT NULL,
  neutral            bigint NOT NULL,
  negative           bigint NOT NULL,
  mixed              bigint NOT NULL,
  successful         bigint NOT NULL,
  callbacks          bigint NOT NULL,
  input_tokens       bigint NOT NULL,
  output_tokens      bigint NOT NULL,
  cost_usd           double precision NOT NULL,
  updated_at         timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, window_start)
);

-- One row per call's current chunk set: what makes an unchanged replay a no-op without reading
-- (or touching) the chunks and their HNSW index.
CREATE TABLE call_chunk_sets (
  call_id      uuid PRIMARY KEY,
  tenant_id    text NOT NULL,
  version      bigint NOT NULL,
  set_hash     text NOT NULL,
  model        text NOT NULL,
  chunk_count  int NOT NULL,
  written_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE call_chunks (
  call_id      uuid NOT NULL,
  chunk_index  int NOT NULL,
  tenant_id    text NOT NULL,
  text         text NOT NULL,
  start_ms     bigint,
  end_ms       bigint,
  speaker      text,
  source       text NOT NULL,
  model        text NOT NULL,
  embedding    vector(${embedding_dims}) NOT NULL,
  PRIMARY KEY (call_id, chunk_index)
);
CREATE INDEX call_chunks_tenant ON call_chunks (tenant_id);
CREATE INDEX call_chunks_embedding ON call_chunks USING hnsw (embedding vector_cosine_ops);
