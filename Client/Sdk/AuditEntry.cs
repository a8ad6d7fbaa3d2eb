using AgentCluster.Api.V1;
using AgentCluster.Audit;

namespace AgentCluster.Client.Sdk;

/// <summary>
/// One row of a tenant's audit chain, exactly as stored: <see cref="AtMs"/> and <see cref="Detail"/>
/// (canonical JSON) are the hashed forms, so the row can be re-verified as it is.
/// </summary>
public sealed record AuditEntry(
    string Tenant,
    long Seq,
    long AtMs,
    string Actor,
    string Kind,
    string Subject,
    string Outcome,
    string Reason,
    string Detail,
    string PrevHash,
    string Hash)
{
    /// <summary>The row's time; null only when the stored milliseconds are out of range.</summary>
    public DateTimeOffset? At => ProtoTime.FromUnixMilliseconds(AtMs);

    internal static AuditEntry From(AuditRecord r) =>
        new(r.Tenant, r.Seq, r.AtMs, r.Actor, r.Kind, r.Subject, r.Outcome, r.Reason, r.Detail, r.PrevHash, r.Hash);

    /// <summary>The hash this row must carry given its <see cref="PrevHash"/>, computed by the silo's own code.</summary>
    internal string ComputeHash() => AuditChain.ComputeHash(PrevHash, Fields);

    internal AuditChainRow ToChainRow() => new(Fields, PrevHash, Hash);

    private AuditRowFields Fields => new(Seq, AtMs, Tenant, Actor, Kind, Subject, Outcome, Reason, Detail);
}
