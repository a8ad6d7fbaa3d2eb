using System.CommandLine;
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
}
