namespace AgentCluster.Grains.Approvals.Classification.Sql;

internal sealed partial class SqlLexer
{
    // Characters that open something another reader would run past a closing ` or ].
    private const string OpensSomething = "'\"$;#\\";

    /// <summary>'…' with '' as its escape. MySQL (and PostgreSQL with standard_conforming_strings
    /// off) also let a backslash escape the quote: the text is only certain if both end alike.</summary>
    private string? PlainString()
    {
        var end = EndOfQuoted(_pos, '\'', backslashEscapes: false);
        if (end < 0)
            return "unterminated string";
        return EndOfQuoted(_pos, '\'', backslashEscapes: true) != end
            ? "a backslash moves the end of a string in MySQL or with standard_conforming_strings off"
            : Add(SqlTokenKind.String, end - _pos);
    }

    /// <summary>PostgreSQL's E'…', where a backslash escapes; SQLite reads E and a plain string.</summary>
    private string? EscapeString()
    {
        var end = EndOfQuoted(_pos + 1, '\'', backslashEscapes: true);
        if (end < 0)
            return "unterminated E'' string";
        return _portable && EndOfQuoted(_pos + 1, '\'', backslashEscapes: false) != end
            ? "a backslash moves the end of an E'' string in SQLite"
            : Add(SqlTokenKind.String, end - _pos);
    }

    /// <summary>"…" is a name to PostgreSQL and SQLite but a string, with backslash escapes, to MySQL.</summary>
    private string? QuotedName()
    {
        var end = EndOfQuoted(_pos, '"', backslashEscapes: false);
        if (end < 0)
            return "unterminated quoted name";
        return _portable && EndOfQuoted(_pos, '"', backslashEscapes: true) != end
            ? "a backslash moves the end of a \"…\" string in MySQL"
            : Add(SqlTokenKind.QuotedName, end - _pos);
    }

    /// <summary>`…` is a name to MySQL and SQLite; PostgreSQL reads the inside as code, so it
    /// must hold nothing that could open a string or comment there.</summary>
    private string? Backticked()
    {
        if (!_portable)
            return "PostgreSQL does not quote names with backticks";
        var end = EndOfQuoted(_pos, '`', backslashEscapes: false);
        if (end < 0)
            return "unterminated `quoted` name";
        return OpensSomethingIn(_pos + 1, end - 1)
            ? "a `quoted` name holds what PostgreSQL would read as a quote, comment or separator"
            : Add(SqlTokenKind.QuotedName, end - _pos);
    }

    /// <summary>[ is an array subscript to PostgreSQL but opens a quoted name up to ] in SQLite.</summary>
    private string? Bracket()
    {
        // A later [ before the same ] spans a suffix of a span already found clean: checking
        // each one afresh would make "[[[[…" quadratic.
        if (_portable && _pos > _cleanThrough)
        {
            var close = _sql.IndexOf(']', _pos + 1);
            if (close > 0 && OpensSomethingIn(_pos + 1, close))
                return "SQLite reads [ … ] as a quoted name around what others read as a quote or comment";
            _cleanThrough = close < 0 ? _sql.Length : close;
        }
        return Add(SqlTokenKind.Punctuation, 1);
    }

    private bool OpensSomethingIn(int from, int to)
    {
        var span = _sql.AsSpan(from, to - from);
        return span.IndexOfAny(OpensSomething) >= 0 || span.Contains("--", StringComparison.Ordinal)
            || span.Contains("/*", StringComparison.Ordinal);
    }

    /// <summary>$1 is a parameter; $$…$$ and $tag$…$tag$ are PostgreSQL string bodies, which
    /// MySQL (where $ is a name character) and SQLite read as code.</summary>
    private string? Dollar()
    {
        var end = _pos + 1;
        if (char.IsAsciiDigit(At(end)))
        {
            end = Digits(end);
            return IsIdentChar(At(end)) ? "a parameter runs into a name" : Add(SqlTokenKind.Parameter, end - _pos);
        }

        while (end < _sql.Length && (char.IsAsciiLetterOrDigit(_sql[end]) || _sql[end] == '_' || _sql[end] >= 0x80))
            end++;
        if (At(end) != '$')
            return "a $ that is neither a parameter nor a dollar quote";
        if (_portable)
            return "dollar quoting is PostgreSQL only; MySQL and SQLite read its inside as code";
        var tag = _sql[_pos..(end + 1)];
        var close = _sql.IndexOf(tag, end + 1, StringComparison.Ordinal);
        return close < 0 ? $"unterminated {tag} quote" : Add(SqlTokenKind.String, close + tag.Length - _pos);
    }

    /// <summary>The index just past the closing quote, or -1. A doubled quote stands for itself.</summary>
    private int EndOfQuoted(int open, char quote, bool backslashEscapes)
    {
        for (var i = open + 1; i < _sql.Length; i++)
        {
            if (backslashEscapes && _sql[i] == '\\')
                i++;
            else if (_sql[i] == quote && At(i + 1) == quote)
                i++;
            else if (_sql[i] == quote)
                return i + 1;
        }
        return -1;
    }
}
