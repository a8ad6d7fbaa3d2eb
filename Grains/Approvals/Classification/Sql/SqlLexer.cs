namespace AgentCluster.Grains.Approvals.Classification.Sql;

/// <summary>
/// A tokenizer for PostgreSQL/MySQL/SQLite-flavoured SQL. It drops whitespace and comments and
/// refuses (with a reason) any text it cannot split with certainty: unterminated quotes or
/// comments, stray characters, and in <see cref="SqlDialect.Portable"/> anything two of the
/// databases would split differently, because a difference in splitting is how code hides in
/// what one reader thinks is a string or a comment.
/// </summary>
internal sealed partial class SqlLexer
{
    private const string OperatorChars = "+-*/<>=~!@#%^&|?";

    private readonly string _sql;
    private readonly bool _portable;
    private readonly List<SqlToken> _tokens = [];
    private int _pos;
    private int _cleanThrough = -1;

    private SqlLexer(string sql, SqlDialect dialect) => (_sql, _portable) = (sql, dialect != SqlDialect.PostgreSql);

    public static SqlLexResult Lex(string sql, SqlDialect dialect)
    {
        var lexer = new SqlLexer(sql, dialect);
        return lexer.Run() is { } error ? new([], error) : new(lexer._tokens, null);
    }

    private string? Run()
    {
        while (_pos < _sql.Length)
        {
            var c = _sql[_pos];
            var error = c switch
            {
                ' ' or '\t' or '\n' or '\r' or '\f' or '\v' => Skip(1),
                '-' when At(_pos + 1) == '-' => LineComment(),
                '/' when At(_pos + 1) == '*' => BlockComment(),
                '\'' => PlainString(),
                '"' => QuotedName(),
                '`' => Backticked(),
                '$' => Dollar(),
                '[' => Bracket(),
                _ when char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(At(_pos + 1))) => Number(),
                '(' or ')' or ',' or ';' or '.' or ']' => Add(SqlTokenKind.Punctuation, 1),
                ':' => At(_pos + 1) is ':' or '=' ? Add(SqlTokenKind.Operator, 2) : Add(SqlTokenKind.Punctuation, 1),
                _ when IsIdentStart(c) => Word(),
                _ when OperatorChars.Contains(c) => Operator(),
                '\\' => "a backslash outside a string (a client meta-command?)",
                _ => $"unexpected character U+{(int)c:X4}",
            };
            if (error is not null)
                return error;
        }
        return null;
    }

    private char At(int i) => i < _sql.Length ? _sql[i] : '\0';

    private string? Skip(int count)
    {
        _pos += count;
        return null;
    }

    private string? Add(SqlTokenKind kind, int length, string? keyword = null)
    {
        _tokens.Add(new(kind, _sql.Substring(_pos, length), keyword));
        return Skip(length);
    }

    // PostgreSQL, MySQL and SQLite all take any non-ASCII character as part of a name.
    private static bool IsIdentStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= 0x80;

    private static bool IsIdentChar(char c) => IsIdentStart(c) || char.IsAsciiDigit(c) || c == '$';

    private string? Word()
    {
        var end = _pos;
        while (end < _sql.Length && IsIdentChar(_sql[end]))
            end++;
        var text = _sql[_pos..end];
        if (text is "e" or "E" && At(end) == '\'')
            return EscapeString();
        var keyword = text.All(char.IsAscii) ? text.ToLowerInvariant() : null;
        return Add(SqlTokenKind.Word, text.Length, keyword);
    }

    private string? Number()
    {
        var end = Digits(_pos);
        if (At(end) == '.' && At(end + 1) != '.')
            end = Digits(end + 1);
        if (At(end) is 'e' or 'E')
        {
            var exponent = At(end + 1) is '+' or '-' ? end + 2 : end + 1;
            end = char.IsAsciiDigit(At(exponent)) ? Digits(exponent) : end;
        }
        // "1delete" is a number then a keyword to PostgreSQL and one name to MySQL.
        return IsIdentChar(At(end)) ? "a number runs into a name" : Add(SqlTokenKind.Number, end - _pos);
    }

    private int Digits(int from)
    {
        while (char.IsAsciiDigit(At(from)))
            from++;
        return from;
    }
}
