using System.CommandLine;
using System.CommandLine.Parsing;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Commands.Secrets;

/// <summary>Options the secrets commands share.</summary>
internal static class SecretOptions
{
    public static Option<string> Tenant(string description) => new("--tenant")
    {
        Description = description,
        HelpName = "name",
        Required = true,
    };

    public static Argument<string> Resource(string description) => new("resource") { Description = description };

    /// <summary>read, write or delete, exactly; a typo fails before anything is sent.</summary>
    public static void AcceptOnlyActions<T>(Option<T> option) => option.AcceptOnlyFromAmong([.. SecretInjection.Actions]);

    /// <summary>
    /// <c>--methods GET,POST</c> or <c>--methods GET --methods POST</c>, upper-cased. Only the form is checked here;
    /// which methods an action allows is the server's to say, so the two can never disagree.
    /// </summary>
    public static string[] ParseMethods(ArgumentResult result)
    {
        var methods = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(m => m.ToUpperInvariant()).Distinct().ToArray();
        if (methods.Length == 0 || methods.Any(m => m.Length > 20 || !m.All(char.IsAsciiLetter)))
            result.AddError("--methods takes HTTP method names separated by commas, e.g. GET,POST");
        return methods;
    }
}
