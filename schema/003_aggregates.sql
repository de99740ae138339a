-- Mentions and events: `events` stays one row per coded sentence (a mention); the views below group the mentions
-- of one real-world event, give it a stable id, and count what analysts count. Also the bookkeeping of exports and
-- the two dimension tables of the star schema (filled from Python by events.aggregate.refresh_dimensions, since a
-- migration cannot read the package's data files).

CREATE VIEW event_mentions AS
SELECT
    CAST(('0x' || left(sha256(
        coalesce(CAST(e.event_date AS VARCHAR), '') || '|' || coalesce(e.source_code, '') || '|'
        || coalesce(e.target_code, '') || '|' || e.event_code), 15)) AS BIGINT) AS global_event_id,
    coalesce(CAST(e.event_date AS VARCHAR), '') || '|' || coalesce(e.source_code, '') || '|'
        || coalesce(e.target_code, '') || '|' || e.event_code AS event_key,
    e.event_id,
    e.article_id,
    e.sentence_index,
    e.event_date,
    e.date_precision,
    e.source_code,
    e.source_name,
    e.source_country,
    e.source_role,
    e.target_code,
    e.target_name,
    e.target_country,
    e.target_role,
    e.event_code,
    e.event_base_code,
    e.event_root_code,
    e.quad_class,
    e.goldstein,
    e.is_root_event,
    e.confidence,
    e.location_name,
    e.location_country,
    e.location_admin1,
    e.latitude,
    e.longitude,
    e.location_feature_id,
    e.location_type,
    coalesce(a.publisher, nullif(regexp_extract(a.url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)', 1), ''))
        AS publisher,
    a.url,
    coalesce(a.published_at, CAST(a.published_date AS TIMESTAMP)) AS published_at,
    a.ingested_at,
    a.coded_at
FROM events AS e
JOIN articles AS a USING (article_id)
WHERE e.modality IN ('asserted', 'future');
COMMENT ON VIEW event_mentions IS 'One row per mention that counts toward an aggregated event: events rows with modality asserted or future (negated, conditional, hypothetical and question mentions, kept only with --keep-*, did not happen and are left out), with the id of the event they mention and the article fields the aggregates need.';
COMMENT ON COLUMN event_mentions.global_event_id IS 'Id of the aggregated event: the first 15 hex digits of sha256(event_key) as a BIGINT; the same key gives the same id in every database and every run.';
COMMENT ON COLUMN event_mentions.event_key IS 'The aggregation key: event_date (YYYY-MM-DD), source_code, target_code and event_code joined by |, a missing value as the empty string.';
COMMENT ON COLUMN event_mentions.event_id IS 'The mention (events.event_id).';
COMMENT ON COLUMN event_mentions.publisher IS 'articles.publisher, else the host name of articles.url; NULL when the article has neither.';
COMMENT ON COLUMN event_mentions.published_at IS 'Publication time of the article (articles.published_at, else midnight of published_date).';
COMMENT ON COLUMN event_mentions.ingested_at IS 'When the article was stored (articles.ingested_at): when the system first saw the mention.';
COMMENT ON COLUMN event_mentions.coded_at IS 'When the article was last coded (articles.coded_at); incremental exports compare it with exports.coded_through.';
COMMENT ON COLUMN event_mentions.article_id IS 'As events.article_id.';
COMMENT ON COLUMN event_mentions.sentence_index IS 'As events.sentence_index.';
COMMENT ON COLUMN event_mentions.event_date IS 'As events.event_date.';
COMMENT ON COLUMN event_mentions.date_precision IS 'As events.date_precision.';
COMMENT ON COLUMN event_mentions.source_code IS 'As events.source_code.';
COMMENT ON COLUMN event_mentions.source_name IS 'As events.source_name.';
COMMENT ON COLUMN event_mentions.source_country IS 'As events.source_country.';
COMMENT ON COLUMN event_mentions.source_role IS 'As events.source_role.';
COMMENT ON COLUMN event_mentions.target_code IS 'As events.target_code.';
COMMENT ON COLUMN event_mentions.target_name IS 'As events.target_name.';
COMMENT ON COLUMN event_mentions.target_country IS 'As events.target_country.';
COMMENT ON COLUMN event_mentions.target_role IS 'As events.target_role.';
COMMENT ON COLUMN event_mentions.event_code IS 'As events.event_code.';
COMMENT ON COLUMN event_mentions.event_base_code IS 'As events.event_base_code.';
COMMENT ON COLUMN event_mentions.event_root_code IS 'As events.event_root_code.';
COMMENT ON COLUMN event_mentions.quad_class IS 'As events.quad_class.';
COMMENT ON COLUMN event_mentions.goldstein IS 'As events.goldstein.';
COMMENT ON COLUMN event_mentions.is_root_event IS 'As events.is_root_event.';
COMMENT ON COLUMN event_mentions.confidence IS 'As events.confidence.';
COMMENT ON COLUMN event_mentions.location_name IS 'As events.location_name.';
COMMENT ON COLUMN event_mentions.location_country IS 'As events.location_country.';
COMMENT ON COLUMN event_mentions.location_admin1 IS 'As events.location_admin1.';
COMMENT ON COLUMN event_mentions.latitude IS 'As events.latitude.';
COMMENT ON COLUMN event_mentions.longitude IS 'As events.longitude.';
COMMENT ON COLUMN event_mentions.location_feature_id IS 'As events.location_feature_id.';
COMMENT ON COLUMN event_mentions.location_type IS 'As events.location_type.';
COMMENT ON COLUMN event_mentions.url IS 'As articles.url.';

CREATE VIEW aggregates AS
WITH ranked AS (
    SELECT
        m.*,
        row_number() OVER (
            PARTITION BY event_key
            ORDER BY is_root_event DESC, published_at NULLS LAST, ingested_at, article_id, sentence_index, event_id
        ) AS root_rank,
        row_number() OVER (
            PARTITION BY event_key
            ORDER BY location_name IS NULL, is_root_event DESC, published_at NULLS LAST, ingested_at, article_id,
                sentence_index, event_id
        ) AS place_rank
    FROM event_mentions AS m
),
totals AS (
    SELECT
        event_key,
        count(*) AS num_mentions,
        count(DISTINCT publisher) AS num_sources,
        count(DISTINCT article_id) AS num_articles,
        avg(goldstein) AS avg_goldstein,
        avg(confidence) AS avg_confidence,
        min(ingested_at) AS first_seen,
        max(ingested_at) AS last_seen,
        min(coded_at) AS first_coded_at
    FROM event_mentions
    GROUP BY event_key
)
SELECT
    r.global_event_id,
    r.event_key,
    r.event_date,
    r.date_precision,
    r.source_code,
    r.source_name,
    r.source_country,
    r.source_role,
    r.target_code,
    r.target_name,
    r.target_country,
    r.target_role,
    r.event_code,
    r.event_base_code,
    r.event_root_code,
    r.quad_class,
    t.num_mentions,
    t.num_sources,
    t.num_articles,
    t.avg_goldstein,
    t.avg_confidence,
    r.is_root_event,
    p.location_name,
    p.location_country,
    p.location_admin1,
    p.latitude,
    p.longitude,
    p.location_feature_id,
    p.location_type,
    t.first_seen,
    t.last_seen,
    t.first_coded_at,
    r.event_id AS root_event_id,
    r.article_id AS root_article_id,
    r.sentence_index AS root_sentence_index,
    r.publisher AS root_publisher,
    r.url AS root_url
FROM ranked AS r
JOIN totals AS t USING (event_key)
JOIN ranked AS p ON p.event_key = r.event_key AND p.place_rank = 1
WHERE r.root_rank = 1;
COMMENT ON VIEW aggregates IS 'One row per event: the mentions (event_mentions) with the same event_date, source_code, target_code and event_code, however many articles and publishers reported them. Names, roles and countries come from the root mention.';
COMMENT ON COLUMN aggregates.global_event_id IS 'Stable id: the first 15 hex digits of sha256(event_key) as a BIGINT (GDELT GLOBALEVENTID).';
COMMENT ON COLUMN aggregates.event_key IS 'The key: event_date (YYYY-MM-DD), source_code, target_code and event_code joined by |, a missing value as the empty string.';
COMMENT ON COLUMN aggregates.event_date IS 'When the event happened (part of the key).';
COMMENT ON COLUMN aggregates.source_code IS 'CAMEO actor code of the source (part of the key).';
COMMENT ON COLUMN aggregates.target_code IS 'CAMEO actor code of the target (part of the key); NULL when the event has none.';
COMMENT ON COLUMN aggregates.event_code IS 'CAMEO event code with leading zeros (part of the key).';
COMMENT ON COLUMN aggregates.num_mentions IS 'Mentions of the event: coded sentences, counting every sentence of every article.';
COMMENT ON COLUMN aggregates.num_sources IS 'Distinct publishers that reported the event (event_mentions.publisher; articles with neither publisher nor URL are not counted).';
COMMENT ON COLUMN aggregates.num_articles IS 'Distinct articles that mention the event.';
COMMENT ON COLUMN aggregates.avg_goldstein IS 'Mean Goldstein value over the mentions (the same code always has the same value, so this is the code''s value).';
COMMENT ON COLUMN aggregates.avg_confidence IS 'Mean coder confidence over the mentions.';
COMMENT ON COLUMN aggregates.is_root_event IS 'The root mention is in an article lead (first paragraph, or the first two sentences).';
COMMENT ON COLUMN aggregates.location_name IS 'Place of the event: from the first mention, in root-mention order, that has a place.';
COMMENT ON COLUMN aggregates.first_seen IS 'When the first article mentioning the event was stored (min articles.ingested_at); GDELT DATEADDED.';
COMMENT ON COLUMN aggregates.last_seen IS 'When the latest article mentioning the event was stored.';
COMMENT ON COLUMN aggregates.first_coded_at IS 'When the earliest-coded mention was coded; an incremental export (--since-last) of events takes those with first_coded_at after the previous export, as GDELT exports an event once, when first seen.';
COMMENT ON COLUMN aggregates.root_event_id IS 'The root mention (events.event_id): lead-paragraph mentions first, then the earliest published, then the earliest stored; ties by article_id, sentence_index, event_id.';
COMMENT ON COLUMN aggregates.root_article_id IS 'Article of the root mention.';
COMMENT ON COLUMN aggregates.root_sentence_index IS 'Sentence of the root mention.';
COMMENT ON COLUMN aggregates.root_publisher IS 'Publisher of the root mention.';
COMMENT ON COLUMN aggregates.root_url IS 'URL of the root mention''s article (GDELT SOURCEURL).';
COMMENT ON COLUMN aggregates.date_precision IS 'events.date_precision of the root mention.';
COMMENT ON COLUMN aggregates.source_name IS 'events.source_name of the root mention.';
COMMENT ON COLUMN aggregates.source_country IS 'events.source_country of the root mention.';
COMMENT ON COLUMN aggregates.source_role IS 'events.source_role of the root mention.';
COMMENT ON COLUMN aggregates.target_name IS 'events.target_name of the root mention.';
COMMENT ON COLUMN aggregates.target_country IS 'events.target_country of the root mention.';
COMMENT ON COLUMN aggregates.target_role IS 'events.target_role of the root mention.';
COMMENT ON COLUMN aggregates.event_base_code IS 'events.event_base_code of the root mention.';
COMMENT ON COLUMN aggregates.event_root_code IS 'events.event_root_code of the root mention.';
COMMENT ON COLUMN aggregates.quad_class IS 'events.quad_class of the root mention.';
COMMENT ON COLUMN aggregates.location_country IS 'events.location_country of the mention the place comes from (see location_name).';
COMMENT ON COLUMN aggregates.location_admin1 IS 'events.location_admin1 of the mention the place comes from (see location_name).';
COMMENT ON COLUMN aggregates.latitude IS 'events.latitude of the mention the place comes from (see location_name).';
COMMENT ON COLUMN aggregates.longitude IS 'events.longitude of the mention the place comes from (see location_name).';
COMMENT ON COLUMN aggregates.location_feature_id IS 'events.location_feature_id of the mention the place comes from (see location_name).';
COMMENT ON COLUMN aggregates.location_type IS 'events.location_type of the mention the place comes from (see location_name).';

CREATE VIEW daily_dyad_counts AS
SELECT
    event_date,
    source_code,
    target_code,
    count(*) AS num_events,
    CAST(sum(num_mentions) AS BIGINT) AS num_mentions,
    count(*) FILTER (WHERE quad_class = 4) AS material_conflict_events
FROM aggregates
GROUP BY event_date, source_code, target_code;
COMMENT ON VIEW daily_dyad_counts IS 'Events per day and directed dyad (source_code -> target_code), counted on aggregates: an event reported by many articles counts once.';
COMMENT ON COLUMN daily_dyad_counts.event_date IS 'The day (events.event_date).';
COMMENT ON COLUMN daily_dyad_counts.source_code IS 'Source actor code.';
COMMENT ON COLUMN daily_dyad_counts.target_code IS 'Target actor code (NULL for events without a target).';
COMMENT ON COLUMN daily_dyad_counts.num_events IS 'Aggregated events of the dyad on the day.';
COMMENT ON COLUMN daily_dyad_counts.num_mentions IS 'Mentions behind those events.';
COMMENT ON COLUMN daily_dyad_counts.material_conflict_events IS 'Of which quad class 4 (material conflict).';

CREATE VIEW monthly_quad_counts AS
SELECT
    CAST(date_trunc('month', event_date) AS DATE) AS month,
    quad_class,
    CASE quad_class
        WHEN 1 THEN 'verbal cooperation'
        WHEN 2 THEN 'material cooperation'
        WHEN 3 THEN 'verbal conflict'
        WHEN 4 THEN 'material conflict'
    END AS quad_name,
    count(*) AS num_events,
    CAST(sum(num_mentions) AS BIGINT) AS num_mentions
FROM aggregates
WHERE event_date IS NOT NULL
GROUP BY ALL;
COMMENT ON VIEW monthly_quad_counts IS 'Aggregated events per month and quad class.';
COMMENT ON COLUMN monthly_quad_counts.month IS 'First day of the month of event_date.';
COMMENT ON COLUMN monthly_quad_counts.quad_class IS '1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.';
COMMENT ON COLUMN monthly_quad_counts.quad_name IS 'Name of quad_class.';
COMMENT ON COLUMN monthly_quad_counts.num_events IS 'Aggregated events.';
COMMENT ON COLUMN monthly_quad_counts.num_mentions IS 'Mentions behind those events.';

CREATE VIEW monthly_dyad_goldstein AS
SELECT
    CAST(date_trunc('month', event_date) AS DATE) AS month,
    source_code,
    target_code,
    count(*) AS num_events,
    sum(avg_goldstein) AS total_goldstein,
    avg(avg_goldstein) AS mean_goldstein,
    min(avg_goldstein) AS min_goldstein,
    max(avg_goldstein) AS max_goldstein
FROM aggregates
WHERE event_date IS NOT NULL
GROUP BY ALL;
COMMENT ON VIEW monthly_dyad_goldstein IS 'Goldstein scale per month and directed dyad, over aggregated events (each event once, whatever its mentions).';
COMMENT ON COLUMN monthly_dyad_goldstein.month IS 'First day of the month of event_date.';
COMMENT ON COLUMN monthly_dyad_goldstein.source_code IS 'Source actor code.';
COMMENT ON COLUMN monthly_dyad_goldstein.target_code IS 'Target actor code (NULL for events without a target).';
COMMENT ON COLUMN monthly_dyad_goldstein.num_events IS 'Aggregated events of the dyad in the month.';
COMMENT ON COLUMN monthly_dyad_goldstein.total_goldstein IS 'Sum of the events'' Goldstein values: the net cooperation (+) or conflict (-) of the month.';
COMMENT ON COLUMN monthly_dyad_goldstein.mean_goldstein IS 'Mean Goldstein value per event.';
COMMENT ON COLUMN monthly_dyad_goldstein.min_goldstein IS 'Most conflictual event of the month.';
COMMENT ON COLUMN monthly_dyad_goldstein.max_goldstein IS 'Most cooperative event of the month.';

CREATE TABLE exports (
    export_id      VARCHAR PRIMARY KEY,
    target         VARCHAR NOT NULL,
    format         VARCHAR NOT NULL,
    layout         VARCHAR NOT NULL,
    exported_at    TIMESTAMP NOT NULL,
    coded_through  TIMESTAMP,
    incremental    BOOLEAN NOT NULL,
    rows_written   BIGINT NOT NULL,
    files_written  INTEGER NOT NULL,
    filter_used    VARCHAR,
    events_version VARCHAR NOT NULL,
    coder_version  VARCHAR NOT NULL
);
COMMENT ON TABLE exports IS 'One row per successful `events export`, so `--since-last` knows what a target already has.';
COMMENT ON COLUMN exports.export_id IS 'Unique id of the export (random UUID).';
COMMENT ON COLUMN exports.target IS 'Absolute path of the output folder.';
COMMENT ON COLUMN exports.format IS 'File format: parquet, csv or jsonl.';
COMMENT ON COLUMN exports.layout IS 'Column layout: native, gdelt, gdelt-mentions, icews or plover.';
COMMENT ON COLUMN exports.exported_at IS 'When the export was published (UTC).';
COMMENT ON COLUMN exports.coded_through IS 'The marker: the newest articles.coded_at when the export read the database. The next --since-last export to the same target, format and layout takes only mentions of articles coded after it (and events first coded after it); NULL when nothing was coded yet.';
COMMENT ON COLUMN exports.incremental IS 'True when only rows added since the previous export were written (--since-last), false for a full export that replaced the folder.';
COMMENT ON COLUMN exports.rows_written IS 'Rows written to the layout''s main table (events for native, the one table otherwise).';
COMMENT ON COLUMN exports.files_written IS 'Files written, over all tables of the layout.';
COMMENT ON COLUMN exports.filter_used IS 'The filter as JSON: since, until, since_last, one_a_day.';
COMMENT ON COLUMN exports.events_version IS 'Version of the events package that exported.';
COMMENT ON COLUMN exports.coder_version IS 'Coder version of the exporting package (package version plus data hash).';

CREATE TABLE cameo_codes (
    code          VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    level         TINYINT NOT NULL,
    base_code     VARCHAR NOT NULL,
    base_name     VARCHAR NOT NULL,
    root_code     VARCHAR NOT NULL,
    root_name     VARCHAR NOT NULL,
    quad_class    TINYINT NOT NULL,
    quad_name     VARCHAR NOT NULL,
    goldstein     DOUBLE NOT NULL,
    plover_event  VARCHAR,
    plover_mode   VARCHAR,
    plover_quad   VARCHAR
);
COMMENT ON TABLE cameo_codes IS 'Dimension table: every CAMEO event code (events/data/cameo_codes.tsv) with its base and root, quad class, Goldstein value and PLOVER mapping. Join events.event_code = cameo_codes.code. Filled by events.aggregate.refresh_dimensions (run by every export).';
COMMENT ON COLUMN cameo_codes.code IS 'CAMEO event code with leading zeros, e.g. 0311.';
COMMENT ON COLUMN cameo_codes.name IS 'Name of the code in the CAMEO codebook.';
COMMENT ON COLUMN cameo_codes.level IS '1 for a root code (2 digits), 2 for a base code (3 digits), 3 for a detailed code (4 digits).';
COMMENT ON COLUMN cameo_codes.base_code IS 'The first three digits (the code itself for a root code).';
COMMENT ON COLUMN cameo_codes.base_name IS 'Name of base_code.';
COMMENT ON COLUMN cameo_codes.root_code IS 'The first two digits: the root category, 01-20.';
COMMENT ON COLUMN cameo_codes.root_name IS 'Name of root_code.';
COMMENT ON COLUMN cameo_codes.quad_class IS '1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.';
COMMENT ON COLUMN cameo_codes.quad_name IS 'Name of quad_class.';
COMMENT ON COLUMN cameo_codes.goldstein IS 'Goldstein scale value, -10 to +10.';
COMMENT ON COLUMN cameo_codes.plover_event IS 'PLOVER event type (events/data/plover.tsv).';
COMMENT ON COLUMN cameo_codes.plover_mode IS 'PLOVER mode, NULL when the CAMEO code fixes none.';
COMMENT ON COLUMN cameo_codes.plover_quad IS 'PLOVER quad category.';

CREATE TABLE actors (
    actor_code         VARCHAR PRIMARY KEY,
    name               VARCHAR NOT NULL,
    kind               VARCHAR NOT NULL,
    country            VARCHAR,
    country_iso3       VARCHAR,
    country_name       VARCHAR,
    known_group        VARCHAR,
    role               VARCHAR,
    sector             VARCHAR,
    first_event_date   DATE,
    last_event_date    DATE,
    events_as_source   BIGINT NOT NULL,
    events_as_target   BIGINT NOT NULL,
    mentions_as_source BIGINT NOT NULL,
    mentions_as_target BIGINT NOT NULL
);
COMMENT ON TABLE actors IS 'Dimension table: one row per distinct actor code in events (as source or target). Join events.source_code or events.target_code = actors.actor_code. Rebuilt by events.aggregate.refresh_dimensions (run by every export).';
COMMENT ON COLUMN actors.actor_code IS 'CAMEO actor code, e.g. RUSMIL, IGOUNO.';
COMMENT ON COLUMN actors.name IS 'Preferred name, in the ICEWS style: the country ("Russia"), the sector and country ("Military (Russia)"), the organization ("United Nations").';
COMMENT ON COLUMN actors.kind IS 'state (a country or its government, military, police, judiciary, legislature, intelligence), igo, ngo, group (rebels, militants, opposition, parties, criminal groups, IMG), sector (civilians, media, business, ...), person when every mention of the code named a person, other for a code the dictionaries do not explain.';
COMMENT ON COLUMN actors.country IS 'CAMEO country code at the start of the code; NULL for international actors.';
COMMENT ON COLUMN actors.country_iso3 IS 'ISO 3166 alpha-3 code of the country.';
COMMENT ON COLUMN actors.country_name IS 'Name of the country.';
COMMENT ON COLUMN actors.known_group IS 'For IGO, NGO and IMG codes: the code after that prefix, e.g. UNO for IGOUNO (GDELT KnownGroupCode).';
COMMENT ON COLUMN actors.role IS 'Role (type) codes after the country, e.g. MIL; several are written one after another as in the code.';
COMMENT ON COLUMN actors.sector IS 'Name of the role codes, e.g. Military (ICEWS sectors).';
COMMENT ON COLUMN actors.first_event_date IS 'Earliest event_date of a mention of the actor.';
COMMENT ON COLUMN actors.last_event_date IS 'Latest event_date of a mention of the actor.';
COMMENT ON COLUMN actors.events_as_source IS 'Aggregated events (aggregates) with the actor as source.';
COMMENT ON COLUMN actors.events_as_target IS 'Aggregated events with the actor as target.';
COMMENT ON COLUMN actors.mentions_as_source IS 'Mentions (events rows) with the actor as source.';
COMMENT ON COLUMN actors.mentions_as_target IS 'Mentions with the actor as target.';
