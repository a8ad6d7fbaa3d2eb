using System.CommandLine;

namespace AgentCluster.Client.Commands;

/// <summary>A repeatable <c>key=value</c> option, read into a map; a key given twice is a usage error.</summary>
internal static class LabelOption
{
    public static Option<IReadOnlyDictionary<string, string>> Create(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "key=value",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => new Dictionary<string, string>(StringComparer.Ordinal),
        CustomParser = result =>
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var token in result.Tokens.Select(t => t.Value))
            {
                var equals = token.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    result.AddError($"invalid label '{token}' for {name}: expected key=value");
                    return null;
                }

                if (!labels.TryAdd(token[..equals], token[(equals + 1)..]))
                {
                    result.AddError($"label '{token[..equals]}' is given twice for {name}");
                    return null;
                }
            }

            return labels;
        },
    };
}
