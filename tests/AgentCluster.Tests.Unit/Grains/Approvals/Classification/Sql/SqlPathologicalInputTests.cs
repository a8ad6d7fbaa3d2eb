using AgentCluster.Grains.Approvals.Classification.Sql;
using static AgentCluster.Grains.Approvals.RiskLevel;
using RiskLevel = AgentCluster.Grains.Approvals.RiskLevel;

namespace AgentCluster.Tests.Unit.Grains.Approvals.Classification.Sql;

/// <summary>Payloads are attacker-controlled: a quadratic corner would stall a silo thread. These
/// finish in milliseconds when linear and in minutes when not; no timing is asserted.</summary>
public sealed class SqlPathologicalInputTests
{
    private const int Size = 200_000;

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    public static TheoryData<string, SqlDialect, RiskLevel> Inputs => new()
    {
        { "SELECT a" + Repeat("[1", Size), SqlDialect.Portable, Irreversible },
        { "SELECT a" + Repeat("[1", Size) + Repeat("]", Size), SqlDialect.Portable, Reversible },
        { Repeat("WITH a AS (", Size / 10) + "SELECT 1", SqlDialect.Portable, Irreversible },
        { Repeat("WITH a(x) AS (", Size / 10) + "SELECT 1" + Repeat(") SELECT x FROM a", Size / 10), SqlDialect.Portable, Reversible },
        { "SELECT " + Repeat("(", Size), SqlDialect.Portable, Irreversible },
        { "SELECT 1" + Repeat(", 'a'", Size), SqlDialect.Portable, Reversible },
        { "SELECT 1 " + Repeat("/*", Size), SqlDialect.PostgreSql, Irreversible },
        { "SELECT 1" + Repeat(", $a$ $b$ $a$", Size / 4), SqlDialect.PostgreSql, Reversible },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Large_text_is_judged_in_linear_time(string sql, SqlDialect dialect, RiskLevel expected) =>
        Assert.Equal(expected, Classifiers.Build(o => o.Sql.Dialect = dialect).Sql(sql).Risk);
}
