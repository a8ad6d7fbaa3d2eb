using System.CommandLine;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Commands.Sessions;

/// <summary>A repeatable <c>resource:action</c> option (<c>stripe:read</c>); any other shape, or another action, is a usage error.</summary>
internal static class AllowGrantOption
{
    public static Option<string[]> Create(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "resource:action",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
        CustomParser = result =>
        {
            var pairs = new List<string>();
            foreach (var token in result.Tokens.Select(t => t.Value))
            {
                var colon = token.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || !SecretInjection.Actions.Contains(token[(colon + 1)..]))
                {
                    result.AddError(
                        $"invalid grant '{token}' for {name}: expected resource:action, the action one of {string.Join(", ", SecretInjection.Actions)}");
                    return null;
                }

                pairs.Add(token);
            }

            return [.. pairs];
        },
    };
}
