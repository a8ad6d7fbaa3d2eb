namespace AgentCluster.Grains.Approvals.Classification.Sql;

/// <summary>The word lists the read-only check works from. Allowlists, except for the words that
/// turn a read into a write anywhere they appear.</summary>
internal static class SqlVocabulary
{
    /// <summary>What a read-only statement may begin with (after an optional EXPLAIN).</summary>
    public static readonly HashSet<string> ReadStarts = new(StringComparer.Ordinal) { "select", "with", "values", "table", "show" };

    /// <summary>Refused wherever they appear unquoted, even where they would only be a column name:
    /// a data-modifying CTE, SELECT INTO / INTO OUTFILE, EXPLAIN ANALYZE, row locks, RETURNING….</summary>
    public static readonly HashSet<string> Writes = new(StringComparer.Ordinal)
    {
        "insert", "update", "delete", "merge", "upsert", "truncate", "drop", "create", "alter", "rename",
        "grant", "revoke", "copy", "into", "lock", "call", "do", "execute", "exec", "prepare", "deallocate",
        "vacuum", "analyze", "analyse", "refresh", "reindex", "listen", "notify", "unlisten",
        "attach", "detach", "pragma", "load", "returning", "outfile", "dumpfile", "procedure", "handler",
        "set", "reset", "discard", "checkpoint", "begin", "commit", "rollback", "savepoint",
    };

    /// <summary>After FOR these lock rows: FOR UPDATE, FOR SHARE, FOR NO KEY UPDATE, FOR KEY SHARE.</summary>
    public static readonly HashSet<string> Locks = new(StringComparer.Ordinal) { "update", "share", "no", "key" };

    /// <summary>Keywords a parenthesis may follow without making a function call.</summary>
    public static readonly HashSet<string> BeforeParenthesis = new(StringComparer.Ordinal)
    {
        "select", "from", "where", "and", "or", "not", "in", "exists", "any", "all", "some", "on", "using",
        "join", "lateral", "over", "filter", "values", "by", "having", "when", "then", "else", "case", "array",
        "row", "group", "union", "intersect", "except", "distinct", "is", "like", "ilike", "between", "limit",
        "offset", "as", "materialized", "rollup", "cube", "sets", "only", "escape", "similar", "to",
    };

    /// <summary>Functions known to have no side effect (the configuration may add more).</summary>
    public static readonly string[] PureFunctions =
    [
        // aggregates and window functions
        "count", "sum", "avg", "min", "max", "array_agg", "string_agg", "json_agg", "jsonb_agg", "bool_and",
        "bool_or", "every", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp",
        "group_concat", "percentile_cont", "percentile_disc", "row_number", "rank", "dense_rank",
        "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value", "grouping",
        // conditionals and casts
        "coalesce", "nullif", "greatest", "least", "ifnull", "iif", "cast",
        // text
        "lower", "upper", "length", "char_length", "character_length", "octet_length", "substring", "substr",
        "trim", "ltrim", "rtrim", "btrim", "replace", "concat", "concat_ws", "left", "right", "position",
        "strpos", "instr", "split_part", "lpad", "rpad", "reverse", "repeat", "initcap", "starts_with",
        "translate", "regexp_replace", "md5",
        // numbers
        "abs", "round", "floor", "ceil", "ceiling", "trunc", "mod", "power", "sqrt", "exp", "ln", "log", "sign", "div",
        // time (now is stable, not pure, but reads the clock and nothing else)
        "now", "date_trunc", "date_part", "extract", "age", "to_char", "to_date", "to_timestamp", "to_number",
        "make_date", "make_interval", "date", "datetime", "strftime", "julianday",
        // json and arrays
        "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array", "to_json", "to_jsonb",
        "json_extract", "jsonb_extract_path", "jsonb_extract_path_text", "json_extract_path_text",
        "jsonb_array_length", "json_array_length", "jsonb_typeof", "json_typeof", "jsonb_array_elements",
        "json_array_elements", "jsonb_each", "json_each", "jsonb_object_keys", "json_object_keys",
        "array_length", "cardinality", "unnest", "array_position", "array_to_string", "string_to_array",
        "generate_series",
    ];

    /// <summary>Built-in operators; anything else may be a user-defined operator backed by any function.</summary>
    public static readonly HashSet<string> Operators = new(StringComparer.Ordinal)
    {
        "=", "<>", "!=", "<", ">", "<=", ">=", "<=>", "+", "-", "*", "/", "%", "||", "::", "&", "|", "^", "@",
        "~", "~*", "!~", "!~*", "~~", "~~*", "!~~", "!~~*", "->", "->>", "#>", "#>>", "@>", "<@", "?", "?|", "?&",
        "&&", "@@",
    };
}
