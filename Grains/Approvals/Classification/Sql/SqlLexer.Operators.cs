namespace AgentCluster.Grains.Approvals.Classification.Sql;

internal sealed partial class SqlLexer
{
    private const string KeepsTrailingSign = "~!@#%^&|`?";

    /// <summary>PostgreSQL's operator rule: the longest run of operator characters, cut before an
    /// embedded <c>--</c> or <c>/*</c>, and shorn of trailing + and - unless it holds one of
    /// <see cref="KeepsTrailingSign"/> (so <c>=-1</c> is <c>=</c>, <c>-</c>, <c>1</c>).</summary>
    private string? Operator()
    {
        var end = _pos;
        while (end < _sql.Length && OperatorChars.Contains(_sql[end]) && !StartsComment(end))
            end++;
        var length = end - _pos;
        if (length > 1 && _sql.AsSpan(_pos, length).IndexOfAny(KeepsTrailingSign) < 0)
        {
            while (length > 1 && _sql[_pos + length - 1] is '+' or '-')
                length--;
        }

        // MySQL reads # to the end of the line as a comment; PostgreSQL reads on.
        return _portable && _sql.AsSpan(_pos, length).Contains('#')
            ? "'#' starts a comment in MySQL but not elsewhere"
            : Add(SqlTokenKind.Operator, length);
    }

    private bool StartsComment(int i) => (At(i), At(i + 1)) is ('-', '-') or ('/', '*');
}
