namespace AgentCluster.Grains.Approvals.Classification.Sql;

internal sealed partial class SqlLexer
{
    private string? LineComment()
    {
        // MySQL needs a space or control character after "--"; "--1" is minus minus one there.
        if (_portable && _pos + 2 < _sql.Length && _sql[_pos + 2] is > ' ' and not '\x7f')
            return "'--' without a space after it is not a comment in MySQL";

        var end = _pos + 2;
        while (end < _sql.Length && _sql[end] != '\n')
        {
            // PostgreSQL ends the comment at a lone CR too; MySQL and SQLite read on to the LF.
            if (_sql[end] == '\r' && At(end + 1) != '\n')
            {
                if (_portable)
                    return "a carriage return ends a '--' comment only in PostgreSQL";
                break;
            }
            end++;
        }
        return Skip(end - _pos);
    }

    private string? BlockComment()
    {
        if (_portable && (At(_pos + 2) == '!' || (At(_pos + 2) == 'M' && At(_pos + 3) == '!')))
            return "MySQL runs the inside of /*! … */ as code";

        var depth = 0;
        var end = _pos;
        do
        {
            if (end >= _sql.Length)
                return "unterminated /* comment";
            if (At(end) == '/' && At(end + 1) == '*')
            {
                // PostgreSQL nests comments; MySQL and SQLite end at the first */ and run the rest.
                if (_portable && depth > 0)
                    return "a nested /* comment ends at the first */ in MySQL and SQLite";
                depth++;
                end += 2;
            }
            else if (At(end) == '*' && At(end + 1) == '/')
            {
                depth--;
                end += 2;
            }
            else
            {
                end++;
            }
        }
        while (depth > 0);
        return Skip(end - _pos);
    }
}
