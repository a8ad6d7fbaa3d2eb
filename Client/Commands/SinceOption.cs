using System.CommandLine;
using System.Globalization;
using AgentCluster.Client.Durations;

namespace AgentCluster.Client.Commands;

/// <summary>
/// An option holding a point in time: an ISO 8601 time (UTC unless it says otherwise), or a duration
/// meaning "that long ago" (<c>10m</c>, <c>2h</c>, <c>1d</c>).
/// </summary>
internal static class SinceOption
{
    public const string Expected = "expected an ISO 8601 time such as 2025-01-02T03:04:05Z, or a duration ago such as 10m, 2h or 1d";

    public static Option<DateTimeOffset?> Create(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "time|duration",
        CustomParser = result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (TryParse(token, DateTimeOffset.UtcNow, out var value))
            {
                return value;
            }

            result.AddError($"invalid time '{token}' for {name}: {Expected}");
            return null;
        },
    };

    /// <summary>A duration is tried first; a bare number such as <c>90</c> is neither (seconds? a year?) and is refused.</summary>
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset value)
    {
        if (text?.Trim() is { Length: > 0 } trimmed && trimmed.All(char.IsAsciiDigit) && trimmed.Any(c => c != '0'))
        {
            value = default;
            return false;
        }

        if (DurationParser.TryParse(text, out var ago, out _))
        {
            // Audit times start at the Unix epoch, so "longer ago than that" means everything.
            value = ago >= now - DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : now - ago;
            return true;
        }

        var styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        return DateTimeOffset.TryParse(text?.Trim(), CultureInfo.InvariantCulture, styles, out value);
    }
}
