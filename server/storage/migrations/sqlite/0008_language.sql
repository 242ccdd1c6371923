-- The language a person chose to read the desk in ("en", "fr"); NULL until
-- they choose, when their browser's preference and the desk's default apply.
ALTER TABLE people ADD COLUMN language TEXT;
