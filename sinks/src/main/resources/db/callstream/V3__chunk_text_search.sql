-- Full-text search over chunk text, which the read side's hybrid search fuses with the vector
-- ranking: exact terms that embeddings miss (an order number, a product code, a name) are found.
ALTER TABLE call_chunks
  ADD COLUMN text_search tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED;
CREATE INDEX call_chunks_text_search ON call_chunks USING gin (text_search);
