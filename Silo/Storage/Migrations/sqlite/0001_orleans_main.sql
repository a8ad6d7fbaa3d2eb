-- Orleans' ADO.NET providers read every statement they run from this table at start-up
-- (SELECT QueryKey, QueryText FROM OrleansQuery); later scripts add one row per query key.
-- On SQLite only grain storage uses it: clustering is localhost and reminders are in memory.
--
-- Rows are added with INSERT OR IGNORE so that re-running an older script by hand never
-- overwrites a query text that a newer migration has since updated.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);
