namespace AgentCluster.Grains.Approvals.Classification.Sql;

/// <summary>Which database's reading of the SQL text the classifier may trust.</summary>
public enum SqlDialect
{
    /// <summary>
    /// The payload does not say which database runs it, so a text that PostgreSQL, MySQL and
    /// SQLite would split into different tokens (nested comments, dollar quotes, backslashes in
    /// strings, <c>#</c> and <c>/*! */</c> comments, …) is not certainly read-only.
    /// </summary>
    Portable,

    /// <summary>Only PostgreSQL runs it: nested comments and dollar quotes are read its way.</summary>
    PostgreSql,
}
