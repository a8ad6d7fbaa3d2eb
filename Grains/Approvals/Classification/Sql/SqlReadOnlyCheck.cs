namespace AgentCluster.Grains.Approvals.Classification.Sql;

/// <summary>
/// Decides whether one SQL text is certainly a single read. It judges the text only: a view,
/// rule, trigger, cast or operator that someone defined with side effects is invisible here, so
/// the database role behind db.execute should be read-only as well; this is one layer, not all.
/// </summary>
internal sealed class SqlReadOnlyCheck(SqlOptions options)
{
    private readonly HashSet<string> _functions = new(
        SqlVocabulary.PureFunctions.Concat(options.AllowedFunctions.Select(f => f.Trim().ToLowerInvariant())),
        StringComparer.Ordinal);

    /// <summary>Null when read-only, otherwise why not.</summary>
    public string? Refusal(string sql)
    {
        var lexed = SqlLexer.Lex(sql, options.Dialect);
        if (lexed.Error is not null)
            return $"unreadable SQL: {lexed.Error}";

        var tokens = lexed.Tokens.ToList();
        var separator = tokens.FindIndex(t => t.IsPunctuation(';'));
        if (separator >= 0 && separator != tokens.Count - 1)
            return "more than one statement";
        if (separator >= 0)
            tokens.RemoveAt(separator);
        if (tokens.Count == 0)
            return "no statement";
        if (!Balanced(tokens, '(', ')') || !Balanced(tokens, '[', ']'))
            return "unbalanced parentheses or brackets";
        return StartRefusal(tokens) ?? new SqlStatementScan(tokens, _functions).Refusal();
    }

    private static bool Balanced(List<SqlToken> tokens, char open, char close)
    {
        var depth = 0;
        foreach (var token in tokens)
        {
            depth += token.IsPunctuation(open) ? 1 : token.IsPunctuation(close) ? -1 : 0;
            if (depth < 0)
                return false;
        }
        return depth == 0;
    }

    private static string? StartRefusal(List<SqlToken> tokens)
    {
        var i = 0;
        if (tokens[0].IsWord("explain"))
        {
            // EXPLAIN (ANALYZE) runs the statement, and PostgreSQL accepts "analyze" quoted there.
            i = 1;
            while (i < tokens.Count && tokens[i].Keyword is "verbose" or "query" or "plan")
                i++;
            if (i == tokens.Count || tokens[i].IsPunctuation('(') || tokens[i].IsWord("show"))
                return "EXPLAIN with options, or of something other than a query";
        }

        var first = tokens[i];
        return first.IsPunctuation('(') || (first.Keyword is { } k && SqlVocabulary.ReadStarts.Contains(k))
            ? null
            : $"{Shown(first)} is not a read";
    }

    public static string Shown(SqlToken token) =>
        token.Keyword?.ToUpperInvariant() ?? PayloadFields.Quote(token.Text);
}
