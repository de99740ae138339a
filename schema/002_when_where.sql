-- When and where: the date expression behind event_date, the gazetteer feature behind the place, and the
-- dictionary entries behind each actor, so `events explain` can show why a row exists.

ALTER TABLE events ADD COLUMN date_text VARCHAR;
ALTER TABLE events ADD COLUMN location_feature_id VARCHAR;
ALTER TABLE events ADD COLUMN location_type VARCHAR;
ALTER TABLE events ADD COLUMN location_rule VARCHAR;
ALTER TABLE events ADD COLUMN source_rule VARCHAR;
ALTER TABLE events ADD COLUMN target_rule VARCHAR;

COMMENT ON COLUMN events.event_date IS 'When the event happened: resolved from the date expression of its clause ("on Monday", "last year") against published_date; the publication date when the sentence has none.';
COMMENT ON COLUMN events.date_precision IS 'Precision of event_date: day, week, month or year (week, month and year dates are the first day of the period).';
COMMENT ON COLUMN events.date_text IS 'The date expression event_date was resolved from, e.g. "on Monday"; NULL when the publication date was used.';
COMMENT ON COLUMN events.location_feature_id IS 'Gazetteer id of the place: a geonames id for cities, admin1:CC.NN for first-level divisions, country:ISO3 for countries.';
COMMENT ON COLUMN events.location_type IS 'Kind of place: city, admin1 or country.';
COMMENT ON COLUMN events.location_rule IS 'How the place was chosen, e.g. "''near Kharkiv'' attached to ''attacked''".';
COMMENT ON COLUMN events.source_rule IS 'The dictionary entries that resolved the source actor, e.g. "adjective: Russia; role: troops".';
COMMENT ON COLUMN events.target_rule IS 'The dictionary entries that resolved the target actor.';
