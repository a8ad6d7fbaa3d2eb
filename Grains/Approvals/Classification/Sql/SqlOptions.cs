namespace AgentCluster.Grains.Approvals.Classification.Sql;

/// <summary><c>AgentCluster:Approvals:Sql</c>: how <c>db.execute</c> statements are read.</summary>
public sealed class SqlOptions
{
    public SqlDialect Dialect { get; set; } = SqlDialect.Portable;

    /// <summary>
    /// Functions (lower-case, unqualified) an admin vouches have no side effect, added to the
    /// built-in list. A function not on either list makes a statement Irreversible.
    /// </summary>
    public List<string> AllowedFunctions { get; set; } = [];
}
