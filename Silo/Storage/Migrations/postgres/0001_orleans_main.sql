-- Orleans' ADO.NET providers ship no SQL of their own at run time: at start-up each one runs
-- SELECT QueryKey, QueryText FROM OrleansQuery and executes only those texts afterwards.
-- The later scripts each add the rows one provider needs. Column names are part of that
-- contract; PostgreSQL folds the unquoted names to lower case, and the providers look them
-- up case-insensitively, so that is fine.
--
-- Rows are inserted with ON CONFLICT DO NOTHING so that re-running an older script by hand
-- never overwrites a query text that a newer migration has since updated.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
