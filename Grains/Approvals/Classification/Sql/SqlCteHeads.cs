namespace AgentCluster.Grains.Approvals.Classification.Sql;

/// <summary>
/// Finds the column lists of CTE heads, <c>WITH name(a, b) AS (…)</c>, where a name before "("
/// is not a call. Only a head whose shape is complete up to "AS (" counts, so
/// <c>SELECT 1, pg_sleep(1) AS x</c> cannot pass for one.
/// </summary>
internal static class SqlCteHeads
{
    public static HashSet<int> ColumnLists(List<SqlToken> tokens)
    {
        var closes = MatchingParentheses(tokens);
        var lists = new HashSet<int>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsWord("with"))
                ReadHeads(tokens, closes, i + 1, lists);
        }
        return lists;
    }

    private static void ReadHeads(List<SqlToken> tokens, int[] closes, int i, HashSet<int> lists)
    {
        bool Is(int at, string keyword) => at < tokens.Count && tokens[at].IsWord(keyword);
        bool Opens(int at) => at < tokens.Count && closes[at] > at;

        if (Is(i, "recursive"))
            i++;
        while (i < tokens.Count && tokens[i].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedName)
        {
            var open = i + 1;
            var afterColumns = Opens(open) ? closes[open] + 1 : open;
            if (!Is(afterColumns, "as"))
                return;
            var body = afterColumns + 1;
            body += Is(body, "not") ? 1 : 0;
            body += Is(body, "materialized") ? 1 : 0;
            if (!Opens(body))
                return;
            if (afterColumns != open)
                lists.Add(open);
            var afterBody = closes[body] + 1;
            if (afterBody >= tokens.Count || !tokens[afterBody].IsPunctuation(','))
                return;
            i = afterBody + 1;
        }
    }

    /// <summary>For each "(" the index of its ")"; -1 elsewhere and for an unclosed one. One pass,
    /// so that a text of nested WITHs costs linear time, not quadratic.</summary>
    private static int[] MatchingParentheses(List<SqlToken> tokens)
    {
        var closes = new int[tokens.Count];
        Array.Fill(closes, -1);
        var open = new Stack<int>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsPunctuation('('))
                open.Push(i);
            else if (tokens[i].IsPunctuation(')') && open.Count > 0)
                closes[open.Pop()] = i;
        }
        return closes;
    }
}
