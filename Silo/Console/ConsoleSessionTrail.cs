using System.Text.Json;
using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Sessions;

namespace AgentCluster.Silo.Console;

/// <summary>
/// A session's page beyond its record: its grants, last egress decisions (the proxy's, and navigates
/// refused for the allowlist) and audit trail, all read from its tenant's audit chain (rows whose
/// subject or actor is the session), newest first. The audit carries tokens only as hash prefixes,
/// so nothing here can show one.
/// </summary>
internal sealed class ConsoleSessionTrail(IAuditStore store)
{
    private const int TrailSize = 100;
    private const int EgressSize = 20;

    /// <summary>How far back the page looks: a session's rows are among its tenant's newest.</summary>
    private const int Scan = 20_000;

    public async Task<ConsoleSessionDetail> Detail(SessionInfo s, bool canKill, CancellationToken ct)
    {
        var rows = new List<(ConsoleAuditRow Row, bool Egress)>();
        var grants = new List<ConsoleGrant>();
        var revoked = new HashSet<string>(StringComparer.Ordinal);
        var scanned = 0;
        await foreach (var r in store.ReadAsync(new AuditQuery(s.Tenant, Newest: true), ct))
        {
            if (++scanned > Scan || r.AtMs < s.CreatedAt.ToUnixTimeMilliseconds() - 60_000)
                break;
            if (r.Subject != s.Id && r.Actor != s.Id)
                continue;
            var row = ConsoleAudit.Row(r);
            var detail = Fields(r.DetailJson);
            if (rows.Count < TrailSize || IsEgress(row, detail))
                rows.Add((row, IsEgress(row, detail)));
            if (r.Kind == AuditKinds.GrantRevoked)
                revoked.Add(detail.GetValueOrDefault("tokenHash", ""));
            else if (r.Kind == AuditKinds.GrantIssued && r.Outcome == AuditOutcomes.Success)
            {
                var hash = detail.GetValueOrDefault("tokenHash", "");
                grants.Add(new(hash, detail.GetValueOrDefault("resource", ""), detail.GetValueOrDefault("action", ""),
                    detail.GetValueOrDefault("expiresAt", ""), revoked.Contains(hash)));
            }
        }
        return new(ConsoleSessionRow.From(s), [.. s.AllowHosts], grants,
            [.. rows.Where(r => r.Egress).Select(r => r.Row).Take(EgressSize)],
            [.. rows.Select(r => r.Row).Take(TrailSize)], canKill && !s.IsEnded);
    }

    /// <summary>
    /// The proxy's decisions, and a navigate the silo refused for the allowlist: that one never
    /// reaches the proxy, yet it is the session trying to go somewhere it may not.
    /// </summary>
    private static bool IsEgress(ConsoleAuditRow r, Dictionary<string, string> detail) =>
        r.Kind.StartsWith("egress.", StringComparison.Ordinal)
        || (r.Kind == AuditKinds.ComputerAction && r.Outcome == AuditOutcomes.Denied && detail.GetValueOrDefault("action") == ComputerActions.Navigate);

    private static Dictionary<string, string> Fields(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
