using AgentCluster.Grains.Approvals.Classification.Sql;

namespace AgentCluster.Tests.Unit.Grains.Approvals.Classification.Sql;

public sealed class SqlLexerTests
{
    private static string Tokens(string sql, SqlDialect dialect = SqlDialect.PostgreSql)
    {
        var result = SqlLexer.Lex(sql, dialect);
        Assert.Null(result.Error);
        return string.Join(" | ", result.Tokens.Select(t => $"{t.Kind}:{t.Text}"));
    }

    [Theory]
    [InlineData("SEL/**/ECT", "Word:SEL | Word:ECT")]
    [InlineData("SELECT/* a /* b; */ c */x", "Word:SELECT | Word:x")]
    [InlineData("a -- b ; c\n;", "Word:a | Punctuation:;")]
    [InlineData("'a''b;c'", "String:'a''b;c'")]
    [InlineData("E'a\\'b'", "String:E'a\\'b'")]
    [InlineData("e 'x'", "Word:e | String:'x'")]
    [InlineData("$tag$ a $$ ; b $tag$x", "String:$tag$ a $$ ; b $tag$ | Word:x")]
    [InlineData("a$$b", "Word:a$$b")]
    [InlineData("\"de\"\"lete\"", "QuotedName:\"de\"\"lete\"")]
    [InlineData("$1::int", "Parameter:$1 | Operator::: | Word:int")]
    [InlineData("x=-1.5e3", "Word:x | Operator:= | Operator:- | Number:1.5e3")]
    [InlineData("a<=-.5", "Word:a | Operator:<= | Operator:- | Number:.5")]
    [InlineData("a@-b", "Word:a | Operator:@- | Word:b")]
    [InlineData("a*/**/b", "Word:a | Operator:* | Word:b")]
    [InlineData("t.*", "Word:t | Punctuation:. | Operator:*")]
    [InlineData("arr[1:2]", "Word:arr | Punctuation:[ | Number:1 | Punctuation:: | Number:2 | Punctuation:]")]
    public void Splits_postgresql_text(string sql, string expected) => Assert.Equal(expected, Tokens(sql));

    [Fact]
    public void Backticks_are_names_where_postgresql_is_not_trusted_alone() =>
        Assert.Equal("Word:SELECT | QuotedName:`a``b`", Tokens("SELECT `a``b`", SqlDialect.Portable));

    [Fact]
    public void Keywords_fold_ascii_only()
    {
        var tokens = SqlLexer.Lex("SeLeCt \u017Fum \"select\"", SqlDialect.Portable).Tokens;
        Assert.Equal("select", tokens[0].Keyword);
        Assert.Null(tokens[1].Keyword);
        Assert.Null(tokens[2].Keyword);
    }

    [Theory]
    [InlineData("'open")]
    [InlineData("\"open")]
    [InlineData("/* open /* nested */")]
    [InlineData("$x$ open")]
    [InlineData("$ x")]
    [InlineData("a \\ b")]
    [InlineData("a { b }")]
    public void Refuses_what_it_cannot_split(string sql) => Assert.NotNull(SqlLexer.Lex(sql, SqlDialect.PostgreSql).Error);
}
