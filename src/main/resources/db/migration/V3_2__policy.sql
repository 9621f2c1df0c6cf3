-- The Binary Authorization policy in force, as the YAML it was given in; one row.
CREATE TABLE policies (
    id          INT NOT NULL PRIMARY KEY,
    yaml        VARCHAR NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
