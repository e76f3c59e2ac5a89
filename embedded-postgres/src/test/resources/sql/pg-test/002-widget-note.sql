-- embedded-postgres test schema: from 1 to 2
BEGIN;
ALTER TABLE widget ADD COLUMN note text;
INSERT INTO widget (name, note) VALUES ('seed', 'added by 002');
COMMIT;
