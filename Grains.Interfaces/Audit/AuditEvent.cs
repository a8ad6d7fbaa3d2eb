using System.Collections.Immutable;
using AgentCluster.Audit;

namespace AgentCluster.Grains.Audit;

/// <summary>
/// What happened, as a caller reports it. The writer assigns time, sequence and hashes.
/// <see cref="Reason"/> is the real reason, even when the caller was shown an opaque one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AuditEvent(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string Actor,
    [property: Id(2)] string Kind,
    [property: Id(3)] string Subject,
    [property: Id(4)] string Outcome,
    [property: Id(5)] string Reason,
    [property: Id(6)] ImmutableSortedDictionary<string, string> Detail)
{
    public static ImmutableSortedDictionary<string, string> NoDetail { get; } =
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
}

/// <summary>A row of the chain as stored.</summary>
[GenerateSerializer, Immutable]
public sealed record AuditRecord(
    [property: Id(0)] long Seq,
    [property: Id(1)] long AtMs,
    [property: Id(2)] string Tenant,
    [property: Id(3)] string Actor,
    [property: Id(4)] string Kind,
    [property: Id(5)] string Subject,
    [property: Id(6)] string Outcome,
    [property: Id(7)] string Reason,
    [property: Id(8)] string DetailJson,
    [property: Id(9)] string PrevHash,
    [property: Id(10)] string Hash)
{
    public AuditRowFields Fields => new(Seq, AtMs, Tenant, Actor, Kind, Subject, Outcome, Reason, DetailJson);
}

/// <summary>The latest (seq, hash) of a tenant's chain: what an operator stores as an external anchor.</summary>
[GenerateSerializer, Immutable]
public sealed record AuditHead(
    [property: Id(0)] string Tenant,
    [property: Id(1)] long Seq,
    [property: Id(2)] string Hash,
    [property: Id(3)] long AtMs);
