using System.Collections.Immutable;
using AgentCluster.Grains.Audit;
using AgentCluster.Silo.Authentication;

namespace AgentCluster.Silo.Api;

/// <summary>The audit events of tenant and key administration.</summary>
internal static class AuditedAdministration
{
    public static AuditEvent Event(Caller caller, string tenant, string kind, string subject,
        params (string Key, string Value)[] detail) =>
        new(tenant, caller.KeyId, kind, subject, AuditOutcomes.Success, "",
            detail.ToImmutableSortedDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal));
}
