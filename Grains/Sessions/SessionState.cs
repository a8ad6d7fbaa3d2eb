namespace AgentCluster.Grains.Sessions;

[GenerateSerializer]
public sealed class SessionState
{
    [Id(0)] public string? Tenant { get; set; }
    [Id(1)] public string Image { get; set; } = "";
    [Id(2)] public SessionStatus Status { get; set; }
    [Id(3)] public string? Host { get; set; }
    [Id(4)] public string? ContainerId { get; set; }
    [Id(5)] public string? ContainerIp { get; set; }
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }
    [Id(7)] public DateTimeOffset Deadline { get; set; }
    [Id(8)] public string? Reason { get; set; }
    [Id(9)] public List<string> AllowHosts { get; set; } = [];
    [Id(10)] public List<string> AllowGrants { get; set; } = [];
    [Id(11)] public TimeSpan MaxGrantTtl { get; set; }
    // Id 12 held the issued grants' token hashes, the keys of HeldGrants; retired, never to be reused.
    [Id(13)] public TimeSpan? IdleTimeout { get; set; }

    /// <summary>SHA-256 of the egress proxy secret; the secret itself went only into the container.</summary>
    [Id(14)] public string? ProxyCredentialHash { get; set; }

    /// <summary>Per grant (by token hash): when it ends and the hosts its credential was bound to when issued.</summary>
    [Id(15)] public Dictionary<string, HeldGrant> HeldGrants { get; set; } = [];

    /// <summary>The key that created the session: whatever its agent asks for, that key asked (four eyes).</summary>
    [Id(16)] public string? CreatedBy { get; set; }

    /// <summary>Launched as a desktop: its container runs a computer server.</summary>
    [Id(17)] public bool Desktop { get; set; }

    /// <summary>The proxy terminates TLS for every allowlisted HTTPS host (the request's switch; on by default for a desktop).</summary>
    [Id(30)] public bool InspectTls { get; set; }
}

/// <summary>What the proxy needs of a grant to decide interception, kept so no request goes to the vault.</summary>
[GenerateSerializer]
public sealed record HeldGrant([property: Id(0)] DateTimeOffset Expires, [property: Id(1)] List<string> Hosts);
