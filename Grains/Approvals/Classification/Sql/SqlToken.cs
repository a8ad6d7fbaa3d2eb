namespace AgentCluster.Grains.Approvals.Classification.Sql;

internal enum SqlTokenKind
{
    /// <summary>An unquoted name or keyword: which one is up to the reader, so both are checked.</summary>
    Word,

    /// <summary>A "quoted", `backticked` name: never a keyword.</summary>
    QuotedName,
    String,
    Number,
    Parameter,
    Operator,
    Punctuation,
}

/// <param name="Keyword">
/// The word lower-cased, or null when it is not a word or holds a non-ASCII letter. Databases
/// fold only ASCII letters, so "ſelect" (long s) must not compare equal to "select" here either.
/// </param>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Text, string? Keyword)
{
    public bool IsWord(string keyword) => Keyword == keyword;

    public bool IsPunctuation(char c) => Kind == SqlTokenKind.Punctuation && Text[0] == c;

    public bool IsOperator(string op) => Kind == SqlTokenKind.Operator && Text == op;
}

internal sealed record SqlLexResult(IReadOnlyList<SqlToken> Tokens, string? Error);
