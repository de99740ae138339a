-- Core tables: articles in, sentences and events out, plus the bookkeeping of runs and rejected input.

CREATE TABLE runs (
    run_id            VARCHAR PRIMARY KEY,
    command           VARCHAR NOT NULL,
    status            VARCHAR NOT NULL,
    started_at        TIMESTAMP NOT NULL,
    finished_at       TIMESTAMP,
    events_version    VARCHAR NOT NULL,
    coder_version     VARCHAR,
    model             VARCHAR,
    inputs            VARCHAR,
    articles_ingested INTEGER,
    articles_rejected INTEGER,
    articles_coded    INTEGER,
    events_coded      INTEGER,
    message           VARCHAR
);
COMMENT ON TABLE runs IS 'One row per command that wrote to the database (run, ingest, code).';
COMMENT ON COLUMN runs.run_id IS 'Unique id of the run (random UUID).';
COMMENT ON COLUMN runs.command IS 'The command that ran: run, ingest or code.';
COMMENT ON COLUMN runs.status IS 'running while in progress, then succeeded or failed; a run left running by a killed process is marked failed by the next run.';
COMMENT ON COLUMN runs.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN runs.finished_at IS 'When the run finished (UTC); NULL while running or after a crash.';
COMMENT ON COLUMN runs.events_version IS 'Version of the events package.';
COMMENT ON COLUMN runs.coder_version IS 'Coder version used for coding (package version plus a hash of the lexicon and actor data).';
COMMENT ON COLUMN runs.model IS 'spaCy model name and version used for parsing.';
COMMENT ON COLUMN runs.inputs IS 'Input paths given on the command line, separated by newlines.';
COMMENT ON COLUMN runs.articles_ingested IS 'Articles newly stored by this run (duplicates of stored articles are not counted).';
COMMENT ON COLUMN runs.articles_rejected IS 'Input records rejected by this run (see rejects).';
COMMENT ON COLUMN runs.articles_coded IS 'Articles coded by this run.';
COMMENT ON COLUMN runs.events_coded IS 'Event rows written by this run.';
COMMENT ON COLUMN runs.message IS 'Error message of a failed run.';

CREATE TABLE articles (
    article_id     VARCHAR PRIMARY KEY,
    title          VARCHAR,
    text           VARCHAR NOT NULL,
    published_date DATE,
    published_at   TIMESTAMP,
    url            VARCHAR,
    publisher      VARCHAR,
    source_file    VARCHAR,
    source_line    BIGINT,
    ingested_at    TIMESTAMP NOT NULL,
    ingest_run_id  VARCHAR,
    coder_version  VARCHAR,
    coded_at       TIMESTAMP
);
COMMENT ON TABLE articles IS 'One row per ingested article. Ingesting the same article again changes nothing.';
COMMENT ON COLUMN articles.article_id IS 'The id given in the input, else sha256 of the whitespace-normalised text (first 16 hex digits).';
COMMENT ON COLUMN articles.title IS 'Headline, when given.';
COMMENT ON COLUMN articles.text IS 'Article body as ingested.';
COMMENT ON COLUMN articles.published_date IS 'Publication date: the reference date for relative dates such as "on Monday".';
COMMENT ON COLUMN articles.published_at IS 'Publication timestamp when the input gave a time of day, else NULL.';
COMMENT ON COLUMN articles.url IS 'Source URL, when given.';
COMMENT ON COLUMN articles.publisher IS 'Publisher or outlet name, when given.';
COMMENT ON COLUMN articles.source_file IS 'Input file the article came from (- for stdin).';
COMMENT ON COLUMN articles.source_line IS 'Line (JSONL, CSV) or row (Parquet) number in the input file, 1-based; NULL for text files.';
COMMENT ON COLUMN articles.ingested_at IS 'When the article was stored (UTC).';
COMMENT ON COLUMN articles.ingest_run_id IS 'The run that stored the article (runs.run_id).';
COMMENT ON COLUMN articles.coder_version IS 'Coder version that last coded the article; NULL when not coded yet. events code skips articles coded by the current version.';
COMMENT ON COLUMN articles.coded_at IS 'When the article was last coded (UTC).';

CREATE TABLE sentences (
    article_id     VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    paragraph_index INTEGER NOT NULL,
    char_start     INTEGER NOT NULL,
    char_end       INTEGER NOT NULL,
    text           VARCHAR NOT NULL,
    PRIMARY KEY (article_id, sentence_index)
);
COMMENT ON TABLE sentences IS 'Sentences of coded articles, as split by the parser; events point back to them.';
COMMENT ON COLUMN sentences.article_id IS 'The article (articles.article_id).';
COMMENT ON COLUMN sentences.sentence_index IS 'Position of the sentence in the article, from 0.';
COMMENT ON COLUMN sentences.paragraph_index IS 'Paragraph of the sentence, from 0; paragraphs are separated by blank lines.';
COMMENT ON COLUMN sentences.char_start IS 'Offset of the first character of the sentence in articles.text (Python string index).';
COMMENT ON COLUMN sentences.char_end IS 'Offset just past the last character of the sentence in articles.text.';
COMMENT ON COLUMN sentences.text IS 'The sentence text: articles.text[char_start:char_end].';

CREATE TABLE events (
    event_id        VARCHAR PRIMARY KEY,
    article_id      VARCHAR NOT NULL,
    sentence_index  INTEGER NOT NULL,
    event_date      DATE,
    date_precision  VARCHAR,
    published_date  DATE,
    source_code     VARCHAR,
    source_name     VARCHAR,
    source_country  VARCHAR,
    source_role     VARCHAR,
    target_code     VARCHAR,
    target_name     VARCHAR,
    target_country  VARCHAR,
    target_role     VARCHAR,
    event_code      VARCHAR NOT NULL,
    event_base_code VARCHAR NOT NULL,
    event_root_code VARCHAR NOT NULL,
    quad_class      TINYINT NOT NULL,
    goldstein       DOUBLE NOT NULL,
    action_text     VARCHAR,
    is_root_event   BOOLEAN NOT NULL,
    attribution     VARCHAR,
    modality        VARCHAR NOT NULL,
    confidence      DOUBLE NOT NULL,
    location_name   VARCHAR,
    location_country VARCHAR,
    location_admin1 VARCHAR,
    latitude        DOUBLE,
    longitude       DOUBLE,
    coder_version   VARCHAR NOT NULL,
    source_start    INTEGER,
    source_end      INTEGER,
    target_start    INTEGER,
    target_end      INTEGER,
    action_start    INTEGER,
    action_end      INTEGER,
    pattern         VARCHAR,
    how_found       VARCHAR
);
COMMENT ON TABLE events IS 'One row per coded event mention: who did what to whom in one sentence, in the CAMEO style.';
COMMENT ON COLUMN events.event_id IS 'Stable id: first 16 hex digits of sha256 over article_id, sentence_index, source_code, target_code and event_code.';
COMMENT ON COLUMN events.article_id IS 'The article the event was coded from (articles.article_id).';
COMMENT ON COLUMN events.sentence_index IS 'The sentence the event was coded from (sentences.sentence_index).';
COMMENT ON COLUMN events.event_date IS 'When the event happened; the publication date until date resolution says otherwise.';
COMMENT ON COLUMN events.date_precision IS 'Precision of event_date: day, week, month or year.';
COMMENT ON COLUMN events.published_date IS 'Publication date of the article.';
COMMENT ON COLUMN events.source_code IS 'CAMEO actor code of the actor who acts, e.g. PRKGOV: country (3 letters) or IGO/NGO code, then role codes.';
COMMENT ON COLUMN events.source_name IS 'The source actor as written in the sentence, e.g. "North Korea".';
COMMENT ON COLUMN events.source_country IS 'Country of the source actor (CAMEO/ISO-3 code), NULL for international bodies and unknown countries.';
COMMENT ON COLUMN events.source_role IS 'Role of the source actor (GOV, MIL, COP, REB, ...), NULL for a whole country.';
COMMENT ON COLUMN events.target_code IS 'CAMEO actor code of the actor acted upon; NULL when the event has no target.';
COMMENT ON COLUMN events.target_name IS 'The target actor as written in the sentence.';
COMMENT ON COLUMN events.target_country IS 'Country of the target actor (CAMEO/ISO-3 code).';
COMMENT ON COLUMN events.target_role IS 'Role of the target actor (GOV, MIL, ...), NULL for a whole country.';
COMMENT ON COLUMN events.event_code IS 'CAMEO event code as a string with leading zeros, e.g. 062 or 0311.';
COMMENT ON COLUMN events.event_base_code IS 'The first three digits of event_code.';
COMMENT ON COLUMN events.event_root_code IS 'The first two digits of event_code (the CAMEO root category, 01-20).';
COMMENT ON COLUMN events.quad_class IS '1 verbal cooperation (roots 01-05), 2 material cooperation (06-09), 3 verbal conflict (10-14), 4 material conflict (15-20).';
COMMENT ON COLUMN events.goldstein IS 'Goldstein scale value of event_code, from -10 (most conflictual) to +10 (most cooperative).';
COMMENT ON COLUMN events.action_text IS 'The words that triggered the event, e.g. "sent troops".';
COMMENT ON COLUMN events.is_root_event IS 'True when the event is in the article lead: the first paragraph, or the first two sentences when the first paragraph is shorter.';
COMMENT ON COLUMN events.attribution IS 'Actor code of the speaker when the event is reported speech ("Russia said Ukraine attacked ..."), else NULL.';
COMMENT ON COLUMN events.modality IS 'asserted, or negated, future, conditional, hypothetical or question when such events are kept.';
COMMENT ON COLUMN events.confidence IS 'Confidence in [0, 1] from how the event was found (see README, Confidence).';
COMMENT ON COLUMN events.location_name IS 'Place where the event happened, as a gazetteer name.';
COMMENT ON COLUMN events.location_country IS 'Country of the event place (ISO-3).';
COMMENT ON COLUMN events.location_admin1 IS 'First-level administrative division of the event place.';
COMMENT ON COLUMN events.latitude IS 'Latitude of the event place (WGS84 degrees).';
COMMENT ON COLUMN events.longitude IS 'Longitude of the event place (WGS84 degrees).';
COMMENT ON COLUMN events.coder_version IS 'Coder version that produced the row.';
COMMENT ON COLUMN events.source_start IS 'Offset of the source actor span in articles.text.';
COMMENT ON COLUMN events.source_end IS 'End offset of the source actor span in articles.text.';
COMMENT ON COLUMN events.target_start IS 'Offset of the target actor span in articles.text.';
COMMENT ON COLUMN events.target_end IS 'End offset of the target actor span in articles.text.';
COMMENT ON COLUMN events.action_start IS 'Offset of the action word in articles.text.';
COMMENT ON COLUMN events.action_end IS 'End offset of the action word in articles.text.';
COMMENT ON COLUMN events.pattern IS 'The lexicon pattern that fired, as "code: pattern" (or the frame rule).';
COMMENT ON COLUMN events.how_found IS 'How the event was found: clause (full subject-verb-object), inherited (subject taken from a governing or conjoined verb), nominal, symmetric or implied.';

CREATE TABLE rejects (
    reject_id   VARCHAR PRIMARY KEY,
    run_id      VARCHAR,
    source_file VARCHAR NOT NULL,
    line_number BIGINT,
    byte_offset BIGINT,
    record_id   VARCHAR,
    reason      VARCHAR NOT NULL,
    excerpt     VARCHAR,
    rejected_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE rejects IS 'Input that could not be ingested, with the reason. Rejecting the same record again adds no row.';
COMMENT ON COLUMN rejects.reject_id IS 'First 16 hex digits of sha256 over source_file, line_number, byte_offset and reason.';
COMMENT ON COLUMN rejects.run_id IS 'The run that first rejected the record (runs.run_id).';
COMMENT ON COLUMN rejects.source_file IS 'Input file (- for stdin).';
COMMENT ON COLUMN rejects.line_number IS 'Line (JSONL, CSV) or row (Parquet) number, 1-based; NULL when the whole file was rejected.';
COMMENT ON COLUMN rejects.byte_offset IS 'Byte offset of the record in the file, when known.';
COMMENT ON COLUMN rejects.record_id IS 'The id of the record, when it could be read.';
COMMENT ON COLUMN rejects.reason IS 'Why the record was rejected, one line.';
COMMENT ON COLUMN rejects.excerpt IS 'The start of the rejected record (at most 1 KB).';
COMMENT ON COLUMN rejects.rejected_at IS 'When the record was rejected (UTC).';
