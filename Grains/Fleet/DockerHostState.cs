namespace AgentCluster.Grains.Fleet;

/// <summary>
/// What survives the grain: configuration and the last health verdict. Counts, failures and
/// container lists are rebuilt from the engine, which is the truth.
/// </summary>
[GenerateSerializer]
public sealed class DockerHostState
{
    [Id(0)] public bool Registered { get; set; }
    [Id(1)] public string Endpoint { get; set; } = "";
    [Id(2)] public string? TlsDir { get; set; }
    [Id(3)] public int Capacity { get; set; }
    [Id(4)] public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);
    [Id(5)] public bool Draining { get; set; }
    [Id(6)] public HostHealth Health { get; set; } = HostHealth.Unknown;
}
