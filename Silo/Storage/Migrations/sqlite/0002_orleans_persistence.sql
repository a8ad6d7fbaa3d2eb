-- Grain state for Microsoft.Orleans.Persistence.AdoNet (invariant "System.Data.SQLite", which
-- Orleans 10.4 serves with the Microsoft.Data.Sqlite driver).
--
-- Same contract as on PostgreSQL: the provider binds GrainIdHash, GrainTypeHash, GrainIdN0,
-- GrainIdN1, GrainTypeString, GrainIdExtensionString (may be NULL), ServiceId, PayloadBinary
-- and GrainStateVersion (NULL when it has never seen a row); it reads PayloadBinary and
-- Version, and expects writes to return NewGrainStateVersion, or no row on a conflict.
--
-- Microsoft.Data.Sqlite runs a multi-statement command one statement at a time, each in its
-- own implicit transaction, so every query below does its work in ONE statement and reports
-- the outcome with RETURNING (SQLite 3.35+) instead of reading changes() afterwards.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdExtensionString TEXT    NULL,
    ServiceId              TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,
    ModifiedOn             TEXT    NOT NULL,
    Version                INTEGER NULL
);

-- Narrow hashes first for lookups; UNIQUE over the whole natural key so a second first-write
-- of the same grain conflicts instead of adding a duplicate row. COALESCE because Orleans
-- never uses an empty key extension, only NULL for "none".
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage
    ON OrleansStorage (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId,
                       GrainTypeString, COALESCE(GrainIdExtensionString, ''));

-- "IS" is SQLite's NULL-safe equality, needed for the optional key extension.
INSERT OR IGNORE INTO OrleansQuery (QueryKey, QueryText) VALUES

('ReadFromStorageKey', '
    SELECT PayloadBinary, Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS @GrainIdExtensionString;
'),

-- Exactly one statement can match: the UPDATE needs the version the grain read, the INSERT a
-- grain that has never read a row. "WHERE ... IS NULL" also lets SQLite parse the upsert
-- clause after INSERT ... SELECT.
('WriteToStorageKey', '
    UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary, ModifiedOn = CURRENT_TIMESTAMP, Version = Version + 1
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS @GrainIdExtensionString
      AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;

    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
         GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
           @GrainIdExtensionString, @ServiceId, @PayloadBinary, CURRENT_TIMESTAMP, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version AS NewGrainStateVersion;
'),

('ClearStorageKey', '
    UPDATE OrleansStorage
    SET PayloadBinary = NULL, ModifiedOn = CURRENT_TIMESTAMP, Version = Version + 1
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS @GrainIdExtensionString
      AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;
'),

-- With DeleteStateOnClear the provider expects the deleted version + 1.
('DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS @GrainIdExtensionString
      AND Version = @GrainStateVersion
    RETURNING Version + 1 AS NewGrainStateVersion;
');
