using System.CommandLine;
using AgentCluster.Client.Durations;

namespace AgentCluster.Client.Commands;

/// <summary>An option holding a positive duration such as 30s, 10m or 1h30m; anything else is a usage error.</summary>
internal static class DurationOption
{
    public static Option<TimeSpan?> Create(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "duration",
        CustomParser = result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (!DurationParser.TryParse(token, out var value, out var error))
            {
                result.AddError($"invalid duration '{token}' for {name}: {error}");
                return null;
            }

            if (value <= TimeSpan.Zero)
            {
                result.AddError($"{name} must be longer than zero");
                return null;
            }

            return value;
        },
    };
}
