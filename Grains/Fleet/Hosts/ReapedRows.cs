using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// The <c>session.reaped</c> rows for sandboxes a reconcile killed on its own (expired, stopped,
/// unclaimed or malformed): a kill nobody asked for must still leave a trace in the tenant's log.
/// Idle pool containers belong to no session and leave none.
/// </summary>
public static class ReapedRows
{
    public static IReadOnlyList<AuditEvent> For(string host, IEnumerable<(SandboxContainer Container, string Why)> doomed, IReadOnlySet<string> killed) =>
        [.. doomed
            .Where(d => killed.Contains(d.Container.Id) && !d.Container.IsIdlePool && d.Container.SessionId is not null)
            .Select(d => new AuditEvent(d.Container.Tenant ?? SystemTenant.Name, AuditActors.System, AuditKinds.SessionReaped,
                d.Container.SessionId!, AuditOutcomes.Success, d.Why,
                AuditEvent.NoDetail.Add("host", host).Add("container", d.Container.Id)))];
}
