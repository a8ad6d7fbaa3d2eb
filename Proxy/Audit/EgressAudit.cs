using System.Collections.Immutable;
using System.Globalization;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Proxy.Audit;

/// <summary>What one request was and what became of it; the reason is the real one, never what the sandbox saw.</summary>
public sealed record EgressDecision(
    string? Tenant, string? Session, string Method, string Host, int Port, string Path,
    int Status, long BytesIn, long BytesOut, TimeSpan Latency, string Decision, string Reason);

/// <summary>One audit row per decision, queued (not awaited) so the audit never adds to a request's latency.</summary>
public sealed class EgressAudit(IClusterClient cluster, ILogger<EgressAudit> logger)
{
    private const int MaxPath = 256;

    public void Record(EgressDecision d)
    {
        var forwarded = d.Decision is "forwarded" or "tunnelled";
        var detail = AuditEvent.NoDetail
            .Add("method", d.Method).Add("host", d.Host).Add("port", Text(d.Port))
            .Add("path", d.Path.Length > MaxPath ? d.Path[..MaxPath] : d.Path)
            .Add("status", Text(d.Status)).Add("bytesIn", Text(d.BytesIn)).Add("bytesOut", Text(d.BytesOut))
            .Add("latencyMs", d.Latency.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture))
            .Add("decision", d.Decision);
        var tenant = d.Tenant ?? SystemTenant.Name;
        var e = new AuditEvent(tenant, d.Session ?? "anonymous", forwarded ? AuditKinds.EgressForwarded : AuditKinds.EgressDenied,
            d.Session ?? "", forwarded ? AuditOutcomes.Success : d.Decision == "failed" ? AuditOutcomes.Failed : AuditOutcomes.Denied,
            d.Reason, detail);
        cluster.GetGrain<IAuditLogGrain>(tenant).Append(e).ContinueWith(
            t => logger.LogWarning(t.Exception, "An egress audit row for session {Session} was not queued", d.Session),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
