-- embedded-postgres test schema: from (empty) to 1
BEGIN;

CREATE TABLE widget (
    id   serial PRIMARY KEY,
    name text NOT NULL UNIQUE
);

-- A function body with its own BEGIN/END lines: must survive the stripping of the file's BEGIN/COMMIT.
CREATE FUNCTION widget_count() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    RETURN (SELECT count(*) FROM widget);
END;
$$;

COMMIT;
