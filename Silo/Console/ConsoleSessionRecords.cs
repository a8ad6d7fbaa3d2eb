using AgentCluster.Grains.Sessions;

namespace AgentCluster.Silo.Console;

/// <summary>The list's filters, from the query string: tenant (a cluster admin's choice), state (or <c>live</c>), text, page.</summary>
internal sealed record SessionFilter(string? Tenant, string? State, string? Q, int? Page)
{
    public Func<SessionInfo, bool> Matches() => s =>
        (string.IsNullOrEmpty(State) || (State == "live" ? !s.IsEnded && s.Status != SessionStatus.Lost : s.Status.ToString().Equals(State, StringComparison.OrdinalIgnoreCase)))
        && (string.IsNullOrEmpty(Q) || new[] { s.Id, s.Tenant, s.Host ?? "", s.Image }.Any(f => f.Contains(Q, StringComparison.OrdinalIgnoreCase)));
}

internal sealed record ConsoleSessionRow(
    string Id, string Tenant, string State, string? Host, string Image, DateTimeOffset CreatedAt, DateTimeOffset Deadline,
    bool Desktop, string? Reason)
{
    public static ConsoleSessionRow From(SessionInfo s) =>
        new(s.Id, s.Tenant, s.Status.ToString(), s.Host, s.Image, s.CreatedAt, s.Deadline, s.Desktop, s.Reason);
}

internal sealed record ConsoleSessionPage(IReadOnlyList<ConsoleSessionRow> Sessions, int Page, int Pages, int Total);

/// <summary>A grant as the console shows it: the token only as its hash prefix, never the token.</summary>
internal sealed record ConsoleGrant(string TokenHash, string Resource, string Action, string ExpiresAt, bool Revoked);

internal sealed record ConsoleAuditRow(
    string Tenant, long Seq, long AtMs, string Actor, string Kind, string Subject, string Outcome, string Reason, string Detail);

internal sealed record ConsoleSessionDetail(
    ConsoleSessionRow Session, IReadOnlyList<string> AllowHosts, IReadOnlyList<ConsoleGrant> Grants,
    IReadOnlyList<ConsoleAuditRow> Egress, IReadOnlyList<ConsoleAuditRow> Audit, bool CanKill);
