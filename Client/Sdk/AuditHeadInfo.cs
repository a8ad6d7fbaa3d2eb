using AgentCluster.Api.V1;

namespace AgentCluster.Client.Sdk;

/// <summary>The latest row of one tenant's chain: what an operator stores elsewhere as an anchor.</summary>
public sealed record AuditHeadInfo(string Tenant, long Seq, string Hash, long AtMs)
{
    public DateTimeOffset? At => ProtoTime.FromUnixMilliseconds(AtMs);

    /// <summary>The <c>seq:hash</c> form that <see cref="AuditClient.VerifyAsync"/> and <c>--anchor</c> take.</summary>
    public string Anchor => $"{Seq}:{Hash}";

    internal static AuditHeadInfo From(AuditHead head) => new(head.Tenant, head.Seq, head.Hash, head.AtMs);
}
