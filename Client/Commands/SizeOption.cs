using System.CommandLine;
using AgentCluster.Client.Sizes;

namespace AgentCluster.Client.Commands;

/// <summary>An option holding a positive size in bytes, such as 512m or 2g; anything else is a usage error.</summary>
internal static class SizeOption
{
    public static Option<long?> Create(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "size",
        CustomParser = result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (!SizeParser.TryParse(token, out var value, out var error))
            {
                result.AddError($"invalid size '{token}' for {name}: {error}");
                return null;
            }

            if (value <= 0)
            {
                result.AddError($"{name} must be more than zero");
                return null;
            }

            return value;
        },
    };
}
