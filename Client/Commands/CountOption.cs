using System.CommandLine;
using System.Globalization;

namespace AgentCluster.Client.Commands;

/// <summary>An option holding a whole number of at least one.</summary>
internal static class CountOption
{
    public static Option<int?> Create(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "n",
        CustomParser = result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1)
            {
                return value;
            }

            result.AddError($"invalid value '{token}' for {name}: expected a whole number of at least 1");
            return null;
        },
    };
}
