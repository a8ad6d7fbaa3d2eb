using AgentCluster.Audit;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Api;
using AgentCluster.Silo.Authentication;
using Grpc.Core;

namespace AgentCluster.Silo.Console;

/// <summary>
/// The Audit page: the rows a key may read (its tenant's; a cluster admin's, any tenant's), filtered,
/// newest first, and the chain check <c>agentctl audit verify</c> makes, with the same code.
/// </summary>
internal sealed class ConsoleAudit(IAuditStore store, IGrainFactory grains)
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 500;
    private const int MaxScan = 50_000;

    public async Task<IReadOnlyList<ConsoleAuditRow>> Rows(Caller caller, AuditFilter filter, CancellationToken ct)
    {
        var tenant = await Scope(caller, filter.Tenant ?? "");
        var limit = Math.Clamp(filter.Limit ?? DefaultLimit, 1, MaxLimit);
        var rows = new List<ConsoleAuditRow>();
        var scanned = 0;
        await foreach (var r in store.ReadAsync(new AuditQuery(tenant, SinceMs: filter.Since?.ToUnixTimeMilliseconds(), Newest: true), ct))
        {
            if (++scanned > MaxScan || rows.Count == limit)
                break;
            if (filter.Until is { } until && r.AtMs > until.ToUnixTimeMilliseconds())
                continue;
            if ((string.IsNullOrEmpty(filter.Kind) || AuditKinds.Matches(filter.Kind, r.Kind))
                && (string.IsNullOrEmpty(filter.Session) || r.Subject == filter.Session || r.Actor == filter.Session)
                && caller.CanSee(r.Tenant))
                rows.Add(Row(r));
        }
        return rows;
    }

    /// <summary>Each tenant's chain in the scope, checked whole (and against the anchor when one is given).</summary>
    public async Task<IReadOnlyList<ConsoleVerification>> Verify(Caller caller, string tenant, string anchorText, CancellationToken ct)
    {
        AuditAnchor? anchor = null;
        if (anchorText.Length > 0)
        {
            if (!AuditAnchor.TryParse(anchorText.Trim(), out var parsed))
                throw new RpcException(new Status(StatusCode.InvalidArgument, "an anchor is seq:hash, as agentctl audit head prints it"));
            if (tenant.Length == 0 && caller.IsClusterAdmin)
                throw new RpcException(new Status(StatusCode.InvalidArgument, "an anchor belongs to one tenant's chain: choose the tenant"));
            anchor = parsed;
        }
        var scope = await Scope(caller, tenant);
        var chains = new Dictionary<string, List<AuditChainRow>>(StringComparer.Ordinal);
        await foreach (var r in store.ReadAsync(new AuditQuery(scope), ct))
        {
            if (!chains.TryGetValue(r.Tenant, out var chain))
                chains[r.Tenant] = chain = [];
            chain.Add(new AuditChainRow(r.Fields, r.PrevHash, r.Hash));
        }
        if (chains.Count == 0 && scope is not null)
            chains[scope] = [];
        return [.. chains.Select(c =>
        {
            var v = AuditChain.Verify(c.Value, anchor);
            return new ConsoleVerification(c.Key, v.Ok, v.RowsChecked, v.FirstBadSeq, v.Problem, anchor is not null);
        })];
    }

    /// <summary>Null is every tenant, a cluster admin's only; a tenant that does not exist is NotFound, as in the API.</summary>
    private async Task<string?> Scope(Caller caller, string requested)
    {
        caller.Require(Roles.Auditor, Roles.Admin);
        if (caller.IsClusterAdmin && requested.Length == 0)
            return null;
        return await ApiLookups.ExistingTenant(grains, caller.TenantFor(requested));
    }

    public static ConsoleAuditRow Row(AuditRecord r) =>
        new(r.Tenant, r.Seq, r.AtMs, r.Actor, r.Kind, r.Subject, r.Outcome, r.Reason, r.DetailJson);
}

internal sealed record AuditFilter(string? Tenant, string? Kind, string? Session, DateTimeOffset? Since, DateTimeOffset? Until, int? Limit);

internal sealed record ConsoleVerification(string Tenant, bool Ok, long RowsChecked, long? FirstBadSeq, string? Problem, bool Anchored);
