namespace AgentCluster.Client.Sdk;

/// <summary>Where the control plane is and how to authenticate to it.</summary>
public sealed class AgentClusterConnectionOptions
{
    /// <summary>The gRPC API, e.g. <c>http://127.0.0.1:5080</c> (h2c) or an https address.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>Sent as <c>authorization: Bearer …</c> on every call; none when null.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Deadline of each unary call; null means no deadline.</summary>
    public TimeSpan? CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Replaces the default socket handler (custom TLS, proxies, in-memory tests).
    /// The connection disposes it.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; init; }
}
