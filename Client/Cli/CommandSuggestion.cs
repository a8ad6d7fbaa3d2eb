using System.CommandLine;
using System.CommandLine.Parsing;

namespace AgentCluster.Client.Cli;

/// <summary>
/// The nearest command to a mistyped one (<c>sesion list</c> → <c>session list</c>), so that a usage error
/// says what was probably meant instead of only what was not understood.
/// </summary>
internal static class CommandSuggestion
{
    /// <summary>e.g. <c>unknown command 'sesion': did you mean `agentctl session list`?</c>, or null when nothing is near.</summary>
    public static string? For(ParseResult parse, string path)
    {
        var unmatched = parse.UnmatchedTokens;
        if (unmatched.Count == 0 || unmatched[0].StartsWith('-') || Nearest(unmatched[0], parse.CommandResult.Command) is not { } word)
            return null;
        var typed = unmatched[0];
        var suggestion = $"{path} {word.Text}";
        if (unmatched.Count > 1 && Nearest(unmatched[1], word.Command) is { } then)
            suggestion += " " + then.Text;
        return $"unknown command '{typed}': did you mean `{suggestion}`?";
    }

    private static (string Text, Command Command)? Nearest(string typed, Command parent)
    {
        var lower = typed.ToLowerInvariant();
        var best = parent.Subcommands
            .SelectMany(c => new[] { c.Name }.Concat(c.Aliases).Select(w => (Text: w, Command: c)))
            .Select(w => (w.Text, w.Command, Distance: w.Text.StartsWith(lower, StringComparison.Ordinal) && lower.Length >= 3 ? 0 : Distance(lower, w.Text)))
            .Where(w => w.Distance <= Math.Min(2, Math.Max(1, lower.Length / 3)))
            .OrderBy(w => w.Distance).ThenBy(w => w.Text.Length)
            .FirstOrDefault();
        return best.Text is null ? null : (best.Text, best.Command);
    }

    /// <summary>Edits between two words, a swap of neighbours counting as one (<c>lsit</c> is one from <c>list</c>).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
