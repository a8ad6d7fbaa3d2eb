using System.CommandLine;
using AgentCluster.Client.Cli;

namespace AgentCluster.Client.Commands;

/// <summary>Options every command accepts, anywhere on the line.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Endpoint { get; } = new("--endpoint")
    {
        Description = $"gRPC API address (env {EndpointSource.EnvironmentVariable}; default {EndpointSource.Default}).",
        HelpName = "url",
        Recursive = true,
    };

    // No default value here: help shows defaults, and this one may be a secret.
    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"API key (env {ApiKeySource.EnvironmentVariable}; else ./{ApiKeySource.RelativeFilePath}).",
        HelpName = "key",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print one JSON document (camelCase) instead of a table.",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Add(Endpoint);
        root.Add(ApiKey);
        root.Add(Json);
    }
}
