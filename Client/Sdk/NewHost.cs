using System.Collections.ObjectModel;

namespace AgentCluster.Client.Sdk;

/// <summary>A Docker engine to add to the fleet: <c>unix:///path.sock</c> or <c>tcp://host:2376</c>.</summary>
public sealed record NewHost(string Name, string Endpoint)
{
    /// <summary>For tcp: a folder with ca.pem, cert.pem and key.pem, as a path on the silo's machine.</summary>
    public string? TlsDirectory { get; init; }

    /// <summary>Sessions it may run at once; null means the server's default.</summary>
    public int? Capacity { get; init; }

    /// <summary>Labels that sessions' placement labels must match.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = ReadOnlyDictionary<string, string>.Empty;
}
