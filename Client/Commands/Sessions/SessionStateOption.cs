using System.CommandLine;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Commands.Sessions;

/// <summary>A session state in any case (<c>ready</c>, <c>Ready</c>), sent as the server spells it; a typo fails before anything is sent.</summary>
internal static class SessionStateOption
{
    public static Option<string?> Create(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "state",
        CustomParser = result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (SessionStates.All.FirstOrDefault(s => s.Equals(token.Trim(), StringComparison.OrdinalIgnoreCase)) is { } state)
            {
                return state;
            }

            result.AddError($"invalid state '{token}' for {name}: expected one of {string.Join(", ", SessionStates.All)}");
            return null;
        },
    };
}
