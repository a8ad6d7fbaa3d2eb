namespace AgentCluster.Grains.Approvals.Classification.Sql;

/// <summary>Walks every token of one statement, subqueries and CTE bodies included, for anything
/// that writes, locks, or calls what is not known to be side-effect free.</summary>
internal sealed class SqlStatementScan(List<SqlToken> tokens, HashSet<string> functions)
{
    private readonly HashSet<int> _columnLists = SqlCteHeads.ColumnLists(tokens);

    public string? Refusal()
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (Refusal(i) is { } reason)
                return reason;
        }
        return null;
    }

    private SqlToken? At(int i) => i >= 0 && i < tokens.Count ? tokens[i] : null;

    private string? Refusal(int i)
    {
        var token = tokens[i];
        if (token.Kind == SqlTokenKind.Operator && !SqlVocabulary.Operators.Contains(token.Text))
            return $"operator {PayloadFields.Quote(token.Text)} is not a known built-in";
        if (token.Keyword is { } word && SqlVocabulary.Writes.Contains(word))
            return $"{word.ToUpperInvariant()} writes or has side effects";
        if (token.IsWord("for") && At(i + 1)?.Keyword is { } next && SqlVocabulary.Locks.Contains(next))
            return "FOR UPDATE/SHARE locks rows";
        return At(i + 1)?.IsPunctuation('(') == true ? CallRefusal(i) : null;
    }

    /// <summary>A name right before "(" is a call unless the grammar says it is a type, an alias's
    /// column list or a keyword with a parenthesised operand.</summary>
    private string? CallRefusal(int i)
    {
        var token = tokens[i];
        var before = At(i - 1);
        if (token.Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedName or SqlTokenKind.Parameter))
            return null;
        if (before?.IsPunctuation('.') == true)
            return $"calls a schema-qualified function {PayloadFields.Quote(token.Text)}";
        if (before?.IsOperator("::") == true || before?.IsWord("as") == true || _columnLists.Contains(i + 1))
            return null;
        if (token.Keyword is { } word && (SqlVocabulary.BeforeParenthesis.Contains(word) || functions.Contains(word)))
            return null;
        return $"calls {SqlReadOnlyCheck.Shown(token)}, not a known side-effect-free function";
    }
}
