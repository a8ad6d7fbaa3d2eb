namespace AgentCluster.Client.Sdk;

/// <summary>What <see cref="AuditClient.TailAsync"/> asks for; anything left unset means "any".</summary>
public sealed record AuditTailQuery
{
    /// <summary>Null: the key's own tenant, or every tenant for a cluster admin.</summary>
    public string? Tenant { get; init; }

    /// <summary>An exact kind (<c>grant.issued</c>) or a prefix (<c>grant.*</c>).</summary>
    public string? Kind { get; init; }

    /// <summary>Rows whose subject or actor is this session id.</summary>
    public string? Session { get; init; }

    public DateTimeOffset? Since { get; init; }

    /// <summary>How many of the newest rows to send first; null means the server's default (20).</summary>
    public int? Limit { get; init; }

    /// <summary>Keep streaming new rows until cancelled.</summary>
    public bool Follow { get; init; }
}
