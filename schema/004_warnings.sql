-- Rejects and warnings: a record kept with a problem (an unreadable published date) is recorded too, as a
-- warning, so every input record is accounted for.

ALTER TABLE rejects ADD COLUMN severity VARCHAR DEFAULT 'error';
COMMENT ON COLUMN rejects.severity IS 'error: the record was not ingested; warning: it was ingested with a problem (e.g. an unreadable published date, stored as NULL).';
COMMENT ON TABLE rejects IS 'Input that could not be ingested (severity error) or was ingested with a problem (severity warning), with the reason. Recording the same record again adds no row.';
