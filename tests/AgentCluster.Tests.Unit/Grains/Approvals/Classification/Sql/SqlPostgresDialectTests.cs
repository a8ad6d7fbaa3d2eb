using AgentCluster.Grains.Approvals.Classification;
using AgentCluster.Grains.Approvals.Classification.Sql;
using static AgentCluster.Grains.Approvals.RiskLevel;
using RiskLevel = AgentCluster.Grains.Approvals.RiskLevel;

namespace AgentCluster.Tests.Unit.Grains.Approvals.Classification.Sql;

/// <summary>With Dialect = PostgreSql the text is read PostgreSQL's way: nested comments and
/// dollar quotes hide what they hold, and nothing else gets lenient.</summary>
public sealed class SqlPostgresDialectTests
{
    private static readonly ActionClassifier Classifier = Classifiers.Build(o => o.Sql.Dialect = SqlDialect.PostgreSql);

    [Theory]
    [InlineData("SELECT 1 /* outer /* inner ; DELETE FROM users */ still comment */", Reversible)]
    [InlineData("SELECT 1 /* /* */ ; DELETE FROM users; /* */ */", Reversible)]
    [InlineData("SELECT 1 /* /* */ ; DELETE FROM users", Irreversible)]
    [InlineData("SELECT $$;DELETE FROM users;$$", Reversible)]
    [InlineData("SELECT $tag$ $$ ; DELETE FROM users; $$ $tag$ AS body", Reversible)]
    [InlineData("SELECT $a$ unterminated $b$", Irreversible)]
    [InlineData("DO $$ BEGIN DELETE FROM t; END $$", Irreversible)]
    [InlineData("SELECT E'it\\'s'", Reversible)]
    [InlineData("SELECT E'\\' ; DELETE FROM users; -- '", Reversible)]
    [InlineData("SELECT E'\\\\'; DELETE FROM users", Irreversible)]
    [InlineData("SELECT 'it\\'s'", Irreversible)]
    [InlineData("SELECT 1 --; DELETE FROM users", Reversible)]
    [InlineData("SELECT 1 -- a\rDELETE FROM users", Irreversible)]
    [InlineData("SELECT data #> '{a,b}' FROM docs", Reversible)]
    [InlineData("SELECT `id` FROM users", Irreversible)]
    [InlineData("SELECT * FROM users FOR UPDATE", Irreversible)]
    [InlineData("SELECT pg_sleep($$1$$)", Irreversible)]
    public void Reads_the_text_as_postgresql_does(string sql, RiskLevel expected)
    {
        var result = Classifier.Sql(sql);
        Assert.True(expected == result.Risk, $"{sql} → {result.Risk}: {result.Reason}");
    }
}
