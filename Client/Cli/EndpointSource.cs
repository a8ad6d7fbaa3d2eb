using AgentCluster.Client.Errors;

namespace AgentCluster.Client.Cli;

/// <summary>Which server to talk to: <c>--endpoint</c>, then the environment, then the local default.</summary>
internal static class EndpointSource
{
    public const string EnvironmentVariable = "AGENTCLUSTER_ENDPOINT";
    public const string Default = "http://127.0.0.1:5080";

    public static Uri Resolve(string? option, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var text = NonEmpty(option) ?? NonEmpty(environment.GetVariable(EnvironmentVariable)) ?? Default;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"invalid endpoint '{text}': expected http://host:port or https://host:port");
        }

        if (uri.UserInfo.Length > 0)
        {
            // Not echoed: whatever is there is a credential.
            throw new UsageException("invalid endpoint: credentials do not belong in the URL; use --api-key");
        }

        return uri;
    }

    /// <summary>The endpoint as error messages show it; never fails, since it runs while reporting another failure.</summary>
    public static string Describe(string? option, CliEnvironment environment)
    {
        try
        {
            return Describe(Resolve(option, environment));
        }
        catch (UsageException)
        {
            return "the endpoint";
        }
    }

    public static string Describe(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var path = endpoint.AbsolutePath == "/" ? string.Empty : endpoint.AbsolutePath;
        return $"{endpoint.Scheme}://{endpoint.Authority}{path}";
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
