namespace AgentCluster.Grains.Fleet;

/// <summary>
/// What survives the grain: configuration, the last health verdict and whose sandboxes it last
/// saw. Counts, failures and container lists are rebuilt from the engine, which is the truth.
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

    /// <summary>
    /// The sessions whose sandboxes the last good check saw here: the ones to mark Lost should
    /// the engine die, even if this grain moves to another silo meanwhile (as when the machine
    /// that ran both goes down).
    /// </summary>
    [Id(7)] public HashSet<string> Sessions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Later deadlines of extended sessions, by container id. A started container's deadline label
    /// cannot change, and a failover must not kill at the old one.
    /// </summary>
    [Id(8)] public Dictionary<string, DateTimeOffset> Extensions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>What the last canary found, while <see cref="Health"/> is Unsafe.</summary>
    [Id(9)] public string? UnsafeReason { get; set; }
}
